import type { ChildProcess } from 'node:child_process'

export type ChildOutcome =
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: string | null }
  | { readonly kind: 'failed'; readonly error: NodeJS.ErrnoException }

/** A spawned engine process that cannot outlive this Node process. */
export interface SupervisedChild {
  /** Settles once the process is gone, or could not be spawned at all. */
  readonly outcome: Promise<ChildOutcome>
  /** Its process id; undefined when it could not be spawned. */
  readonly pid: number | undefined
  /** The last few KB of its stderr, for error messages. */
  stderrTail(): string
  /** SIGTERM, then SIGKILL if it lingers; resolves once it is gone. */
  stop(): Promise<void>
}

const stderrTailBytes = 4096
/** How long an engine gets to exit on SIGTERM before SIGKILL. */
export const stopGraceMs = 3000

/** Takes charge of a child spawned with its stderr piped. */
export function supervise(child: ChildProcess): SupervisedChild {
  let tail = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-stderrTailBytes)
  })

  // A test run or dev server that exits without stopping its engines must not
  // leave a JVM holding a port.
  const killOnExit = () => child.kill('SIGKILL')
  process.on('exit', killOnExit)

  const outcome = new Promise<ChildOutcome>((resolve) => {
    child.once('error', (error) => resolve({ kind: 'failed', error }))
    child.once('close', (code, signal) => resolve({ kind: 'exited', code, signal }))
  })
  void outcome.then(() => process.off('exit', killOnExit))

  return {
    outcome,
    pid: child.pid,
    stderrTail: () => tail,
    async stop() {
      let killer: NodeJS.Timeout | undefined
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        killer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs)
      }
      await outcome
      clearTimeout(killer)
    },
  }
}
