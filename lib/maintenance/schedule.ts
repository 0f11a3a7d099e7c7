import type { Maintenance } from './maintenance.ts'
import type { LogLine } from './options.ts'
import type { MaintenanceReport } from './report.ts'
import type { MaintenanceTask } from './tasks.ts'

/** The part of a Lambda invocation's context a scheduled run needs. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number
}

/**
 * Time kept back from an invocation's deadline: the step under way when the
 * budget runs out still finishes (a rewrite is one transaction), and the
 * report must be logged before Lambda stops the function.
 */
export function reserveFor(remainingMs: number): number {
  return Math.min(30_000, remainingMs / 5)
}

/** A Lambda handler that runs the tasks until shortly before its invocation's deadline. */
export function scheduledHandler(maintenance: Maintenance, tasks: readonly MaintenanceTask[]) {
  return (_event: unknown, context: InvocationContext): Promise<MaintenanceReport> => {
    const remaining = context.getRemainingTimeInMillis()
    return maintenance.run({ tasks, budgetMs: remaining - reserveFor(remaining) })
  }
}

export interface MaintenanceInterval {
  /** Stops scheduling and waits for a run under way to finish. */
  stop(): Promise<void>
}

/** The least time a run on an interval gets, so a short interval does not starve every run. */
const MIN_INTERVAL_RUN_MS = 30_000

/**
 * Runs every task every `intervalMs`, as the scheduled functions do on AWS.
 * Each run may take the interval (half a minute at least), and the next
 * starts an interval after the last one ended, so runs never overlap.
 */
export function runEvery(
  maintenance: Maintenance,
  intervalMs: number,
  log: (line: LogLine) => void = (line) => console.error(JSON.stringify(line)),
): MaintenanceInterval {
  let stopped = false
  let running: Promise<unknown> = Promise.resolve()
  let timer: NodeJS.Timeout
  const schedule = () => {
    timer = setTimeout(tick, intervalMs)
    // Maintenance alone must not keep a process alive.
    timer.unref()
  }
  const tick = () => {
    running = maintenance
      .run({ budgetMs: Math.max(intervalMs, MIN_INTERVAL_RUN_MS) })
      .catch((error: unknown) =>
        log({
          level: 'error',
          message: 'Maintenance run failed',
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
      )
      .finally(() => {
        if (!stopped) schedule()
      })
  }
  schedule()
  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
