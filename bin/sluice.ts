import { signalExitCode } from '../lib/cli/exit-codes.ts'
import { runCli } from '../lib/cli/program.ts'

const interrupt = new AbortController()
// The first signal lets the command clean up (flush, commit, leave the group); a second one ends it now.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupt.abort(signal)
    process.once(signal, () => process.exit(signalExitCode(signal)))
  })
}
// A reader that went away (`sluice consume ... | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: interrupt.signal,
})
