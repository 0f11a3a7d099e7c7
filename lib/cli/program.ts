import { Command, CommanderError } from 'commander'
import { SluiceNetworkError, SluiceRequestError } from '../client/errors.ts'
import { apiKeysCommand } from './commands/api-keys.ts'
import { consumeCommand } from './commands/consume.ts'
import { DEV_COMMAND, devCommand } from './commands/dev.ts'
import { groupsCommand } from './commands/groups.ts'
import { produceCommand } from './commands/produce.ts'
import { schemasCommand } from './commands/schemas.ts'
import { topicsCommand } from './commands/topics.ts'
import { addConnectionOptions } from './connection.ts'
import {
  CheckFailedError,
  EXIT,
  EXIT_CODES_HELP,
  type ExitCode,
  ReportedFailure,
  type StopSignal,
  signalExitCode,
  UsageError,
} from './exit-codes.ts'
import { type CliIo, OutputClosedError } from './io.ts'

/** Every command in the tree reports through `io` and throws instead of exiting. */
function configure(command: Command, io: CliIo): void {
  command.exitOverride().configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
  })
  for (const sub of command.commands) configure(sub, io)
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('sluice')
    .description("Kafka's command line tools for Sluice: topics, produce, consume, groups, schemas")
    .addHelpText(
      'after',
      `
Talks to --url (SLUICE_URL, default http://127.0.0.1:8082, where \`sluice dev\`
serves). Tables on a terminal, JSON when piped (-o to choose); data on stdout,
everything else on stderr.
${EXIT_CODES_HELP}`,
    )
  addConnectionOptions(program)
  for (const command of [
    devCommand(io),
    topicsCommand(io),
    produceCommand(io),
    consumeCommand(io),
    groupsCommand(io),
    schemasCommand(io),
    apiKeysCommand(io),
  ]) {
    program.addCommand(command)
  }
  configure(program, io)
  return program
}

/** The server's error behind this one, such as the refusal behind a line `produce` could not send. */
function requestErrorIn(error: unknown): SluiceRequestError | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof SluiceRequestError) return cause
  }
  return undefined
}

/**
 * One line saying what went wrong, a server error with its Confluent code for
 * scripts and searches; then, where one helps, a line saying what to do.
 */
function describe(error: Error): string {
  const refusal = requestErrorIn(error)
  const detail =
    refusal !== undefined
      ? `${error.message} [${refusal.errorCode}]`
      : error instanceof SluiceNetworkError
        ? `${error.message} (is Sluice running there? \`sluice dev\` starts it locally)`
        : error.message
  const line = detail.replace(/\s*\n\s*/g, ' ')
  return refusal?.hint === undefined ? line : `${line}\nhint: ${refusal.hint}`
}

/** `io.signal` is aborted with the name of the signal that stopped the command; Ctrl-C when it says nothing. */
function stoppedBy(io: CliIo): StopSignal {
  return io.signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT'
}

/** Runs `sluice` with these arguments; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const program = buildProgram(io)
  let ran: Command | undefined
  program.hook('preAction', (_, action) => {
    ran = action
  })
  try {
    await program.parseAsync([...argv], { from: 'user' })
    // A server's job ends with a signal: stopping then is success, not an interruption.
    if (!io.signal.aborted || ran?.name() === DEV_COMMAND) return EXIT.ok
    return signalExitCode(stoppedBy(io))
  } catch (caught) {
    // Commander has printed its own message (or the help) already.
    if (caught instanceof CommanderError) return caught.exitCode === 0 ? EXIT.ok : EXIT.usage
    if (caught instanceof ReportedFailure) return caught.exitCode
    // Whoever read the output has all they wanted.
    if (caught instanceof OutputClosedError) return EXIT.ok
    const error = caught instanceof Error ? caught : new Error(String(caught))
    if (io.signal.aborted) return signalExitCode(stoppedBy(io))
    io.stderr.write(`error: ${describe(error)}\n`)
    if (error instanceof UsageError) return EXIT.usage
    if (error instanceof CheckFailedError) return EXIT.checkFailed
    return EXIT.failed
  }
}
