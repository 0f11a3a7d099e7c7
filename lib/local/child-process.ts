import type { ChildProcess } from 'node:child_process'
import { setTimeout as delay } from 'node:timers/promises'

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

export interface SuperviseOptions {
  /**
   * The child was spawned `detached`, leading a process group of its own:
   * signal the whole group, so processes it started itself go with it.
   */
  readonly processGroup?: boolean
}

export class EngineStartError extends Error {
  override name = 'EngineStartError'
}

const stderrTailBytes = 4096
/** How long an engine gets to exit on SIGTERM before SIGKILL. */
export const stopGraceMs = 3000
const pollIntervalMs = 100

/** Takes charge of a child spawned with its stderr piped. */
export function supervise(child: ChildProcess, options: SuperviseOptions = {}): SupervisedChild {
  let tail = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-stderrTailBytes)
  })

  const signal = (name: NodeJS.Signals) => {
    if (!options.processGroup || child.pid === undefined) {
      child.kill(name)
      return
    }
    try {
      process.kill(-child.pid, name)
    } catch {
      // The group is already gone.
    }
  }

  // A test run or dev server that exits without stopping its engines must not
  // leave a JVM holding a port.
  const killOnExit = () => signal('SIGKILL')
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
        signal('SIGTERM')
        killer = setTimeout(() => signal('SIGKILL'), stopGraceMs)
      }
      await outcome
      clearTimeout(killer)
    },
  }
}

export interface ReadinessCheck {
  /** What the child is, for messages: `DynamoDB Local`. */
  readonly name: string
  readonly endpoint: string
  readonly timeoutMs: number
  /** Resolves true once the child serves requests; never rejects. `deadline` aborts when the time is up. */
  ready(deadline: AbortSignal): Promise<boolean>
}

/**
 * Polls until the child is ready. Fails at once when it exits first, and when
 * the time is up, quoting the end of its stderr either way.
 */
export async function waitUntilReady(child: SupervisedChild, check: ReadinessCheck): Promise<void> {
  let gone: ChildOutcome | undefined
  void child.outcome.then((outcome) => {
    gone = outcome
  })
  const deadline = Date.now() + check.timeoutMs
  const timeUp = AbortSignal.timeout(check.timeoutMs)
  for (;;) {
    if (await check.ready(timeUp)) return
    if (gone !== undefined) throw startFailure(gone, child, check)
    if (Date.now() > deadline) {
      throw new EngineStartError(
        `${check.name} did not answer on ${check.endpoint} within ${check.timeoutMs} ms${stderrNote(child)}`,
      )
    }
    await delay(pollIntervalMs)
  }
}

function startFailure(
  outcome: ChildOutcome,
  child: SupervisedChild,
  check: ReadinessCheck,
): EngineStartError {
  if (outcome.kind === 'failed') {
    return new EngineStartError(`Could not spawn ${check.name}: ${outcome.error.message}`)
  }
  const status = outcome.signal ?? `code ${outcome.code}`
  return new EngineStartError(
    `${check.name} exited (${status}) before answering on ${check.endpoint}${stderrNote(child)}`,
  )
}

function stderrNote(child: SupervisedChild): string {
  const tail = child.stderrTail().trim()
  return tail === '' ? '' : `; its stderr ends with:\n${tail}`
}
