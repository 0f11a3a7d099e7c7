import { performance } from 'node:perf_hooks'

/** Wall time of a whole run and the latency of each of its requests. */
export interface TimedRun {
  readonly elapsedMs: number
  readonly latenciesMs: readonly number[]
}

/**
 * Runs `count` requests from `concurrency` producers. Each producer takes the
 * next request as soon as its previous one is answered (a closed loop), so the
 * producers keep exactly `concurrency` requests in flight.
 */
export async function runConcurrently(
  count: number,
  concurrency: number,
  request: (index: number, producer: number) => Promise<void>,
): Promise<TimedRun> {
  const latenciesMs: number[] = new Array(count)
  let next = 0
  const producer = async (id: number) => {
    for (let index = next++; index < count; index = next++) {
      const started = performance.now()
      await request(index, id)
      latenciesMs[index] = performance.now() - started
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, (_, id) => producer(id)))
  return { elapsedMs: performance.now() - started, latenciesMs }
}
