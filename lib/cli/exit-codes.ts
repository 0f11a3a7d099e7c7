/**
 * What `sluice` exits with, for scripts. Listed in `sluice --help`.
 */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Failed: the server refused or could not be reached, or the input held bad data. */
  failed: 1,
  /** The command line is wrong: unknown command or option, missing or invalid argument. */
  usage: 2,
  /** A check answered no: `schemas check` found the schema incompatible. */
  checkFailed: 3,
  /** Stopped by SIGINT (Ctrl-C), after cleaning up: 128 + the signal's number, as shells report it. */
  interrupted: 130,
  /** Stopped by SIGTERM, after cleaning up. */
  terminated: 143,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export const EXIT_CODES_HELP = `
Exit codes:
  0    done
  1    failed: the server refused or could not be reached, or the input held bad data
  2    usage error: unknown command or option, missing or invalid argument
  3    a check answered no (schemas check: not compatible)
  130  interrupted (Ctrl-C, SIGINT), after cleaning up
  143  terminated (SIGTERM), after cleaning up
'sluice dev' serves until it is stopped: it exits 0 after a clean shutdown on
SIGINT or SIGTERM.`

/** A command line that parses but does not make sense (`--offset` without `--partition`). */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** The command ran and its answer is "no"; the message says why. */
export class CheckFailedError extends Error {
  override name = 'CheckFailedError'
}

/** The command cannot do what was asked, for a reason the server did not report (a topic that exists already). */
export class CommandFailedError extends Error {
  override name = 'CommandFailedError'
}

/** Input data a command cannot use, such as a line that is not JSON under `--format json`. */
export class InputError extends Error {
  override name = 'InputError'
}

/** The command printed why it failed already; only the exit code is left to give. */
export class ReportedFailure extends Error {
  override name = 'ReportedFailure'
  constructor(readonly exitCode: ExitCode) {
    super(`exit ${exitCode}`)
  }
}

/** The signals a command stops cleanly on. */
export type StopSignal = 'SIGINT' | 'SIGTERM'

/** What a command stopped by `signal` before it finished exits with. */
export function signalExitCode(signal: StopSignal): ExitCode {
  return signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted
}
