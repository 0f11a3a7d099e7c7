import { backoff } from '../common/backoff.ts'
import { partitionForKey } from '../common/partitioner.ts'
import { sequenceAfter } from '../common/sequences.ts'
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
  IDEMPOTENCE_BYTES,
  type Message,
  type ProducerSession,
  toBytes,
} from './messages.ts'
import { type BatchingOptions, type QueuedRecord, RecordAccumulator } from './record-accumulator.ts'
import { DEFAULT_RETRY, type RetryOptions, segment, type Transport } from './transport.ts'

export interface ProducerOptions extends Partial<BatchingOptions> {
  /**
   * Kafka's enable.idempotence, on by default as in Kafka 3 and later: the
   * producer gets a producer id, numbers its records per partition, and a
   * retried request is recognised by the broker, so every record is stored
   * exactly once and in order. `false` gives at-least-once delivery.
   */
  readonly idempotent?: boolean
  /**
   * Requests in flight per topic. With 1 (the default) records of a partition
   * are stored in the order they were sent, retries included; with more (only
   * without idempotence), a retried request can land after a later one.
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
  readonly partition: number
  /** Given when the record is first sent, and kept for every resend. */
  sequence?: number
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

/** A producer id and epoch, and the next sequence of each partition it wrote to. */
interface Session extends ProducerSession {
  readonly nextSequence: Map<string, number>
}

/** Answers that may still succeed when the very same request is sent again. */
function worthResending(error: Error, idempotent: boolean): boolean {
  // An unknown outcome is resent only without idempotence: at least once, as asked.
  return (
    isRetriable(error) ||
    (!idempotent && error instanceof SluiceRequestError && error.errorCode === 50004)
  )
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
 * later (429, 50003, lost connections) are retried with backoff. With
 * idempotence (the default) a resent request carries the same producer id and
 * sequences, so the broker stores each record once; when a batch fails for
 * good, the producer starts a new session, since the broker may or may not
 * hold that batch and the next one could not follow it. Without idempotence
 * a record can be stored twice (at least once).
 */
export class Producer {
  private readonly batching: BatchingOptions
  private readonly maxInFlight: number
  private readonly retry: RetryOptions
  private readonly metadataMaxAgeMs: number
  private readonly idempotent: boolean
  /** maxRequestBytes as given; the accumulator's limit leaves room for the producer fields. */
  private readonly requestLimit: number
  private session: Promise<Session> | undefined
  /** What `session` resolved to, so a failed batch can end it at once. */
  private activeSession: Session | undefined
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
    this.idempotent = options.idempotent ?? true
    this.requestLimit = options.maxRequestBytes ?? DEFAULT_BATCHING.maxRequestBytes
    this.batching = {
      lingerMs: options.lingerMs ?? DEFAULT_BATCHING.lingerMs,
      batchSize: options.batchSize ?? DEFAULT_BATCHING.batchSize,
      // Room for the producer fields, so the request with them still fits.
      maxRequestBytes: this.requestLimit - (this.idempotent ? IDEMPOTENCE_BYTES.request : 0),
    }
    this.maxInFlight = options.maxInFlightRequests ?? 1
    if (this.idempotent && this.maxInFlight > 1) {
      // A batch that fails for good must be the last one sent to its partition: its successors restart the sequences.
      throw new InvalidArgumentError(
        'An idempotent producer keeps one request in flight per topic; set idempotent: false for more.',
      )
    }
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
      const plain = encodeRecord(message, id, partition)
      const encoded = this.idempotent
        ? { ...plain, bytes: plain.bytes + IDEMPOTENCE_BYTES.entry }
        : plain
      if (encoded.bytes + batchOverhead(1) > this.batching.maxRequestBytes) {
        throw new InvalidArgumentError(
          `messages[${index}] takes ${encoded.bytes} bytes as JSON, more than maxRequestBytes (${this.requestLimit}).`,
        )
      }
      return { partition, id, encoded }
    })
    const now = this.clock()
    const stored = prepared.map(
      ({ partition, id, encoded }) =>
        new Promise<RecordMetadata>((resolve, reject) => {
          const pending: PendingRecord = { ...encoded, id, partition, resolve, reject }
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
    let session: Session | undefined
    if (this.idempotent) {
      try {
        session = await this.currentSession()
      } catch (error) {
        for (const record of remaining) record.reject(error as Error)
        return
      }
      for (const record of remaining) record.sequence = takeSequence(session, topic, record)
    }
    const resend = (error: Error) => worthResending(error, this.idempotent)
    for (let attempt = 0; ; attempt++) {
      const failures = await this.post(topic, remaining, session)
      const retriable = failures.filter(({ error }) => resend(error))
      const final =
        attempt >= this.retry.retries ? failures : failures.filter((f) => !resend(f.error))
      for (const { record, error } of final) record.reject(error)
      if (session && final.length > 0) this.endSession(session)
      if (final.length === failures.length) return
      remaining = retriable.map(({ record }) => record)
      await backoff(attempt, {
        baseMs: this.retry.initialRetryTimeMs,
        capMs: this.retry.maxRetryTimeMs,
      })
    }
  }

  /** The producer session new batches are numbered in, started on first use (Kafka's InitProducerId). */
  private currentSession(): Promise<Session> {
    if (!this.session) {
      const started = this.cluster
        .path('producers')
        .then((path) =>
          this.transport.json<{ producer_id: number; producer_epoch: number }>({
            method: 'POST',
            path,
          }),
        )
        .then(({ producer_id, producer_epoch }) => {
          const session = {
            producerId: producer_id,
            epoch: producer_epoch,
            nextSequence: new Map<string, number>(),
          }
          if (this.session === started) this.activeSession = session
          return session
        })
      started.catch(() => {
        if (this.session === started) this.session = undefined
      })
      this.session = started
    }
    return this.session
  }

  /**
   * A batch of `session` failed for good, so whether the broker holds it is
   * unknown: later batches go out in a new session, numbered from 0.
   */
  private endSession(session: Session): void {
    if (this.activeSession !== session) return
    this.session = undefined
    this.activeSession = undefined
  }

  /** Sends one request; resolves the stored records and returns the failed ones with their errors. */
  private async post(
    topic: string,
    records: readonly PendingRecord[],
    session: Session | undefined,
  ): Promise<{ record: PendingRecord; error: Error }[]> {
    let report: BatchReport
    try {
      report = await this.transport.json<BatchReport>({
        method: 'POST',
        path: await this.cluster.path(`topics/${segment(topic)}/records:batch`),
        body: batchBody(records, session),
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

/** The record's sequence on its partition in `session`, counting on from the last one given there. */
function takeSequence(session: Session, topic: string, record: PendingRecord): number {
  const key = `${topic}/${record.partition}`
  const sequence = session.nextSequence.get(key) ?? 0
  session.nextSequence.set(key, sequenceAfter(sequence, 1))
  return sequence
}
