import type { BenchMode, BenchPlan, ProduceCell } from './cells.ts'
import type { ClientProducerResult } from './client-producer-cell.ts'
import type { ConsumerResult } from './consumer-cell.ts'
import type { CostPerGiB, CostPerRequest } from './cost.ts'
import type { IdempotenceComparison } from './idempotence-cell.ts'
import type { KafkaBenchResult } from './kafka-cell.ts'
import type { MachineConditions } from './machine.ts'
import type { MaintenanceResult } from './maintenance-cell.ts'
import type { AWS_PRICES } from './prices.ts'
import type { OperationCount } from './request-counter.ts'
import type { LatencySummary } from './stats.ts'

/** One timed run of requests: how fast, and what it asked of the engines. */
export interface Measurement {
  readonly requests: number
  readonly records: number
  /** Bytes of record values moved; the MiB/s and per-GiB figures count these. */
  readonly valueBytes: number
  readonly elapsedMs: number
  readonly recordsPerSecond: number
  readonly mibPerSecond: number
  readonly latency: LatencySummary
  readonly counts: readonly OperationCount[]
  readonly cost: CostPerGiB
  /** The same calls per request: a produce request, or a page read. */
  readonly perRequest: CostPerRequest
}

export interface ProduceResult {
  readonly cell: ProduceCell
  readonly topic: string
  readonly sluice: Measurement
  /** The same requests' storage work done directly against the engines. */
  readonly floor: Measurement
  /**
   * One TransactWriteItems per request of the items its commit writes, the
   * batch bytes inside the index item, and nothing else: no upload, no reads.
   * Measured for one-record requests only.
   */
  readonly bareTransaction?: Measurement | undefined
  /** Sluice over floor: wall time for the same work, and median request latency. */
  readonly ratio: {
    readonly elapsed: number
    readonly p50: number
    /** Sluice's median latency over the bare transaction's; NaN where none was measured. */
    readonly bareTransactionP50: number
  }
  /** Commits that lost a race and were retried (cancelled TransactWriteItems). */
  readonly commitConflicts: number
}

export interface ReadResult {
  readonly cellId: string
  readonly topic: string
  readonly partition: number
  /** Index entries (committed ranges) the partition holds. */
  readonly segments: number
  /** Bytes S3 returned per byte of record value read: batch framing, keys, and ranges fetched twice. */
  readonly s3BytesPerValueByte: number
  /** Each request is one page of `GET .../records`, its latency one page's. */
  readonly read: Measurement
  /** Range GETs of the same entries' bytes straight from S3, as many at once as the reader makes. */
  readonly rawGetMs: number
  /** Read throughput over raw-GET throughput of the same bytes (1 = as fast as S3 alone). */
  readonly rawGetRatio: number
  /** The same records read through the Kafka gateway. */
  readonly fetch: FetchReadResult
}

/** A partition read through the Kafka gateway with Fetch requests, as a consumer would. */
export interface FetchReadResult {
  /** Each request is one Fetch, its latency one Fetch's; the value bytes are the REST read's. */
  readonly read: Measurement
  /** Bytes of the record batches the fetches returned: framing, keys and values. */
  readonly batchBytes: number
  /** Fetch throughput over raw-GET throughput of the same bytes. */
  readonly rawGetRatio: number
}

export interface BenchResults {
  readonly startedAt: string
  readonly finishedAt: string
  readonly mode: BenchMode
  readonly plan: BenchPlan
  /** How requests reach Sluice. */
  readonly path: string
  readonly producers: number
  readonly valueBytes: number
  readonly engines: string
  readonly localEngines: boolean
  readonly machine: { readonly atStart: MachineConditions; readonly atEnd: MachineConditions }
  readonly prices: typeof AWS_PRICES
  readonly produce: readonly ProduceResult[]
  readonly reads: readonly ReadResult[]
  readonly idempotence: IdempotenceComparison
  readonly maintenance: readonly MaintenanceResult[]
  readonly consumers: readonly ConsumerResult[]
  readonly clientProducer: readonly ClientProducerResult[]
  readonly kafka: KafkaBenchResult
}
