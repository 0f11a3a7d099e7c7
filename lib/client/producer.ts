import { partitionForKey } from '../log/partitioner.ts'
import { backoff } from '../storage/backoff.ts'
import type { ClusterPaths } from './cluster.ts'
import {
  ClientStateError,
  InvalidArgumentError,
  isRetriable,
  SluiceRequestError,
  UnexpectedResponseError,
} from './errors.ts'
import {
  batchBody,
  batchOverhead,
  type EncodedRecord,
  encodeRecord,
  type Message,
  toBytes,
} from './messages.ts'
import { type BatchingOptions, type QueuedRecord, RecordAccumulator } from './record-accumulator.ts'
import { DEFAULT_RETRY, type RetryOptions, segment, type Transport } from './transport.ts'

export interface ProducerOptions extends Partial<BatchingOptions> {
  /**
   * Requests in flight per topic. With 1 (the default) records of a partition
   * are stored in the order they were sent, retries included; with more, a
   * retried request can land after a later one, as in Kafka without idempotence.
   */
  readonly maxInFlightRequests?: number
  readonly retry?: Partial<RetryOptions>
  /** How long a topic's partition count is trusted before it is asked again (Kafka's metadata.max.age.ms). */
  readonly metadataMaxAgeMs?: number
}

/** Where a record was stored. */
export interface RecordMetadata {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly timestamp: Date
}

export interface ProducerRecord {
  readonly topic: string
  readonly messages: readonly Message[]
}

/** Kafka's defaults: linger.ms 5 (since Kafka 4.0), batch.size 16 KiB, max.request.size 1 MiB. */
export const DEFAULT_BATCHING: BatchingOptions = {
  lingerMs: 5,
  batchSize: 16_384,
  maxRequestBytes: 1_048_576,
}

const DEFAULT_METADATA_MAX_AGE_MS = 300_000

interface PendingRecord extends EncodedRecord {
  readonly id: string
  resolve(metadata: RecordMetadata): void
  reject(error: Error): void
}

interface BatchReport {
  readonly successes: readonly {
    readonly id: string
    readonly partition_id: number
    readonly offset: number
    readonly timestamp: string
  }[]
  readonly failures: readonly {
    readonly id: string
    readonly error_code: number
    readonly message: string
  }[]
}

/** One topic's queue, its requests in flight, and the timer that sends lingering records. */
interface Lane {
  readonly topic: string
  readonly records: RecordAccumulator<PendingRecord>
  inFlight: number
  timer: NodeJS.Timeout | undefined
  /** Where records without key or partition go until their batch is sent (Kafka's sticky partitioner). */
  sticky: number | undefined
}

/**
 * Sends records in batches, as Kafka's producer does: `send` queues records
 * per partition (murmur2 of the key, computed here as the broker and Kafka's
 * clients do) and resolves once they are stored; a topic's queued records go
 * out in one `records:batch` request when a partition's batch is full or the
 * oldest has lingered `lingerMs`. Failed requests and entries that may succeed
 * later (429, 50003, lost connections) are retried with backoff; a record can
 * then be stored twice (at-least-once, as Kafka without idempotence).
 */
export class Producer {
  private readonly batching: BatchingOptions
  private readonly maxInFlight: number
  private readonly retry: RetryOptions
  private readonly metadataMaxAgeMs: number
  private readonly lanes = new Map<string, Lane>()
  private readonly partitionCounts = new Map<
    string,
    { readonly count: Promise<number>; readonly at: number }
  >()
  private readonly unsettled = new Set<Promise<unknown>>()
  private nextId = 0
  private flushing = false
  private closed = false

  constructor(
    private readonly transport: Transport,
    private readonly cluster: ClusterPaths,
    options: ProducerOptions = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.batching = {
      lingerMs: options.lingerMs ?? DEFAULT_BATCHING.lingerMs,
      batchSize: options.batchSize ?? DEFAULT_BATCHING.batchSize,
      maxRequestBytes: options.maxRequestBytes ?? DEFAULT_BATCHING.maxRequestBytes,
    }
    this.maxInFlight = options.maxInFlightRequests ?? 1
    this.retry = { ...DEFAULT_RETRY, ...options.retry }
    this.metadataMaxAgeMs = options.metadataMaxAgeMs ?? DEFAULT_METADATA_MAX_AGE_MS
    if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1) {
      throw new InvalidArgumentError('maxInFlightRequests must be a positive integer.')
    }
  }

  /** Checks that the server answers (and learns its cluster id), so a wrong URL fails here. */
  async connect(): Promise<void> {
    await this.cluster.id()
  }

  /**
   * Queues the messages and resolves with where each was stored, in order.
   * Every message is checked before any is queued: an invalid one rejects the
   * whole call and nothing of it is sent.
   */
  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    if (this.closed) return Promise.reject(new ClientStateError('The producer is disconnected.'))
    // Tracked from the start: a send accepted before disconnect is delivered, even one still asking for metadata.
    const sent = this.queue(record)
    this.unsettled.add(sent)
    const settle = () => this.unsettled.delete(sent)
    sent.then(settle, settle)
    return sent
  }

  private async queue(record: ProducerRecord): Promise<RecordMetadata[]> {
    const count = await this.partitionCount(record.topic)
    const lane = this.lane(record.topic)
    const prepared = record.messages.map((message, index) => {
      const partition = this.partitionFor(lane, message, count, index)
      const id = String(this.nextId++)
      const encoded = encodeRecord(message, id, partition)
      if (encoded.bytes + batchOverhead(1) > this.batching.maxRequestBytes) {
        throw new InvalidArgumentError(
          `messages[${index}] takes ${encoded.bytes} bytes as JSON, more than maxRequestBytes (${this.batching.maxRequestBytes}).`,
        )
      }
      return { partition, id, encoded }
    })
    const now = this.clock()
    const stored = prepared.map(
      ({ partition, id, encoded }) =>
        new Promise<RecordMetadata>((resolve, reject) => {
          const pending: PendingRecord = { ...encoded, id, resolve, reject }
          lane.records.append({ partition, record: pending, queuedAt: now })
        }),
    )
    this.schedule(lane)
    // Settles once every record has: a rejected send leaves none of its records still in flight.
    const outcomes = await Promise.allSettled(stored)
    const failed = outcomes.find((outcome) => outcome.status === 'rejected')
    if (failed) throw failed.reason
    return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<RecordMetadata>).value)
  }

  /** Sends everything queued, waits for every answer, and refuses later sends. */
  async disconnect(): Promise<void> {
    this.closed = true
    this.flushing = true
    for (const lane of this.lanes.values()) this.schedule(lane)
    await Promise.allSettled([...this.unsettled])
  }

  private lane(topic: string): Lane {
    let lane = this.lanes.get(topic)
    if (!lane) {
      lane = {
        topic,
        records: new RecordAccumulator(this.batching),
        inFlight: 0,
        timer: undefined,
        sticky: undefined,
      }
      this.lanes.set(topic, lane)
    }
    return lane
  }

  private partitionFor(lane: Lane, message: Message, count: number, index: number): number {
    if (message.partition !== undefined) {
      if (!Number.isInteger(message.partition) || message.partition < 0) {
        throw new InvalidArgumentError(
          `messages[${index}].partition must be a non-negative integer.`,
        )
      }
      if (message.partition >= count) {
        throw new InvalidArgumentError(
          `messages[${index}].partition is ${message.partition}, but topic '${lane.topic}' has ${count} partition(s).`,
        )
      }
      return message.partition
    }
    if (message.key != null) return partitionForKey(toBytes(message.key), count)
    lane.sticky ??= Math.floor(Math.random() * count)
    return lane.sticky
  }

  /** Sends what is ready while the topic has requests to spare; otherwise waits for the linger deadline. */
  private schedule(lane: Lane): void {
    clearTimeout(lane.timer)
    lane.timer = undefined
    while (
      lane.inFlight < this.maxInFlight &&
      (this.flushing ? lane.records.size > 0 : lane.records.ready(this.clock()))
    ) {
      const batch = lane.records.drain()
      if (lane.sticky !== undefined && batch.some((queued) => queued.partition === lane.sticky)) {
        lane.sticky = undefined
      }
      lane.inFlight++
      void this.deliver(lane.topic, batch).finally(() => {
        lane.inFlight--
        this.schedule(lane)
      })
    }
    const deadline = lane.records.lingerDeadline()
    if (deadline !== undefined && lane.inFlight < this.maxInFlight) {
      lane.timer = setTimeout(() => this.schedule(lane), Math.max(0, deadline - this.clock()))
    }
  }

  /** One batch to its end: stored, or failed for good; retriable failures are sent again. */
  private async deliver(topic: string, batch: readonly QueuedRecord<PendingRecord>[]) {
    let remaining = batch.map((queued) => queued.record)
    for (let attempt = 0; ; attempt++) {
      const failures = await this.post(topic, remaining)
      const retriable = failures.filter(({ error }) => isRetriable(error))
      const final =
        attempt >= this.retry.retries ? failures : failures.filter((f) => !isRetriable(f.error))
      for (const { record, error } of final) record.reject(error)
      if (final.length === failures.length) return
      remaining = retriable.map(({ record }) => record)
      await backoff(attempt, {
        baseMs: this.retry.initialRetryTimeMs,
        capMs: this.retry.maxRetryTimeMs,
      })
    }
  }

  /** Sends one request; resolves the stored records and returns the failed ones with their errors. */
  private async post(
    topic: string,
    records: readonly PendingRecord[],
  ): Promise<{ record: PendingRecord; error: Error }[]> {
    let report: BatchReport
    try {
      report = await this.transport.json<BatchReport>({
        method: 'POST',
        path: await this.cluster.path(`topics/${segment(topic)}/records:batch`),
        body: batchBody(records),
        // Retried here, entry by entry, so a request's stored entries are not sent twice.
        retry: { retries: 0 },
      })
    } catch (error) {
      return records.map((record) => ({ record, error: error as Error }))
    }
    const byId = new Map(records.map((record) => [record.id, record]))
    for (const success of report.successes) {
      byId.get(success.id)?.resolve({
        topic,
        partition: success.partition_id,
        offset: success.offset,
        timestamp: new Date(success.timestamp),
      })
      byId.delete(success.id)
    }
    const failures: { record: PendingRecord; error: Error }[] = report.failures.flatMap(
      (failure) => {
        const record = byId.get(failure.id)
        byId.delete(failure.id)
        // 207 is the answer's status; each entry has its own Confluent code.
        return record
          ? [{ record, error: new SluiceRequestError(207, failure.error_code, failure.message) }]
          : []
      },
    )
    for (const record of byId.values()) {
      failures.push({
        record,
        error: new UnexpectedResponseError(`The produce report has no entry ${record.id}.`),
      })
    }
    return failures
  }

  /** The topic's partition count, asked once per metadata age; a failed ask is not remembered. */
  private partitionCount(topic: string): Promise<number> {
    const known = this.partitionCounts.get(topic)
    if (known && this.clock() - known.at < this.metadataMaxAgeMs) return known.count
    const count = this.cluster
      .path(`topics/${segment(topic)}`)
      .then((path) => this.transport.json<{ partitions_count: number }>({ method: 'GET', path }))
      .then((topicResource) => topicResource.partitions_count)
    this.partitionCounts.set(topic, { count, at: this.clock() })
    count.catch(() => this.partitionCounts.delete(topic))
    return count
  }
}
