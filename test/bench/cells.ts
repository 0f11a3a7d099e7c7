/** The benchmark's matrix: which produce cells run, and how much work each does. */

export type BenchMode = 'full' | 'quick'

export interface ProduceCell {
  /** Short name used in tables and topic names, e.g. `p8-b100`. */
  readonly id: string
  readonly partitions: number
  /** Records per produce request. */
  readonly batchSize: number
  /** Measured requests, after the warm-up. */
  readonly requests: number
}

export interface BenchPlan {
  readonly mode: BenchMode
  /** Producers with one request in flight each. */
  readonly producers: number
  /** Bytes of each record's value; keys are short strings on top. */
  readonly valueBytes: number
  /** Unmeasured requests per producer before each cell, to warm the JIT and connections. */
  readonly warmupRequestsPerProducer: number
  /**
   * A cell run first and thrown away: DynamoDB Local's JVM and this process's
   * JIT start cold, which would otherwise be charged to the first cell.
   */
  readonly engineWarmup: ProduceCell
  readonly cells: readonly ProduceCell[]
}

const PARTITIONS = [1, 8] as const

/**
 * Requests per cell. A full run moves about 16–24 MiB through each batched
 * cell, and fewer bytes at batch 1, where each request costs a round of
 * storage calls for only 1 KiB; the whole run takes a few minutes on 2 cores.
 */
const REQUESTS: Record<BenchMode, Readonly<Record<number, number>>> = {
  full: { 1: 2000, 100: 160, 1000: 32 },
  quick: { 1: 40, 100: 8, 1000: 4 },
}

export function benchPlan(mode: BenchMode): BenchPlan {
  const requests = REQUESTS[mode]
  const cells = PARTITIONS.flatMap((partitions) =>
    Object.entries(requests).map(([batch, count]) => ({
      id: `p${partitions}-b${batch}`,
      partitions,
      batchSize: Number(batch),
      requests: count,
    })),
  )
  const engineWarmup = {
    id: 'warmup',
    partitions: 8,
    batchSize: 10,
    requests: mode === 'full' ? 200 : 40,
  }
  return { mode, producers: 4, valueBytes: 1024, warmupRequestsPerProducer: 1, engineWarmup, cells }
}
