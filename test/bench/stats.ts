/** Latency and throughput arithmetic, kept free of any I/O so it can be reasoned about alone. */

export interface LatencySummary {
  readonly count: number
  readonly meanMs: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly maxMs: number
}

/**
 * The nearest-rank percentile: the smallest sample with at least `p` percent of
 * samples at or below it. It is always a latency that really happened, which
 * matters when a cell has only a few dozen requests.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number
}

export function summarizeLatencies(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b)
  const total = sorted.reduce((sum, ms) => sum + ms, 0)
  return {
    count: sorted.length,
    meanMs: sorted.length === 0 ? Number.NaN : total / sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
  }
}

/** Items per second over a wall-clock span. */
export function perSecond(amount: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (amount * 1000) / elapsedMs : Number.NaN
}
