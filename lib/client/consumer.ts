import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { backoff } from '../common/backoff.ts'
import { ClientStateError, InvalidArgumentError, SluiceRequestError } from './errors.ts'
import { DEFAULT_RETRY, type RetryOptions, segment, type Transport } from './transport.ts'

/** The assignors the server runs, by the names a member votes with. */
export type AssignorName = 'cooperative-sticky' | 'range' | 'roundrobin'

export interface ConsumerOptions {
  readonly groupId: string
  /** session.timeout.ms: how long the group waits for a silent member before moving its partitions (server default 45 s). */
  readonly sessionTimeoutMs?: number
  /** How long a records call waits for records when there are none (kafkajs's maxWaitTimeInMs). */
  readonly maxWaitTimeMs?: number
  /** A soft cap on the bytes of keys and values one records call returns. */
  readonly maxBytes?: number
  /** How often the member heartbeats while a handler runs, so long work keeps its partitions. */
  readonly heartbeatIntervalMs?: number
  /** The assignor this member votes for; the group uses the one most members ask for. */
  readonly assignor?: AssignorName
  /** How often a failing handler is given its records again before the consumer crashes. */
  readonly retry?: Partial<RetryOptions>
}

export interface Subscription {
  /** Topic names, or one pattern (the v2 API takes a list or a pattern, not both). */
  readonly topics: readonly string[] | RegExp
  /** Where a group without committed offsets starts: the log start (true) or its end (false, the default). */
  readonly fromBeginning?: boolean
}

/** A consumed record; the v2 consumer API returns keys and values as bytes, without headers or timestamps. */
export interface ConsumedMessage {
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly offset: number
}

export interface EachMessagePayload {
  readonly topic: string
  readonly partition: number
  readonly message: ConsumedMessage
  /** Heartbeats now unless one went out recently; the consumer also heartbeats on its own while a handler runs. */
  heartbeat(): Promise<void>
}

export interface Batch {
  readonly topic: string
  readonly partition: number
  readonly messages: readonly ConsumedMessage[]
}

export interface EachBatchPayload {
  readonly batch: Batch
  /** Marks the records up to this offset processed: they are committed, and not given again. */
  resolveOffset(offset: number): void
  heartbeat(): Promise<void>
  /** False once `stop` was called: finish the record at hand and return. */
  isRunning(): boolean
}

export type RunConfig = {
  /**
   * Commit what was processed after each records call (the default). With
   * false, commit with `commitOffsets`: nothing is committed otherwise.
   */
  readonly autoCommit?: boolean
} & (
  | { readonly eachMessage: (payload: EachMessagePayload) => Promise<void> }
  | {
      readonly eachBatch: (payload: EachBatchPayload) => Promise<void>
      /** Whether a batch whose handler returned counts as processed whole (default true). */
      readonly eachBatchAutoResolve?: boolean
    }
)

export interface TopicPartitionOffset {
  readonly topic: string
  readonly partition: number
  /** The next offset to read, as Kafka commits it: the last processed offset plus one. */
  readonly offset: number
}

/** The REST Proxy v2 consumer API's media types. */
const V2 = 'application/vnd.kafka.v2+json'
const BINARY_V2 = 'application/vnd.kafka.binary.v2+json'

/** Codes a member meets when the group moved on without it; what it read goes to the partitions' new owners. */
const CONSUMER_INSTANCE_NOT_FOUND = 40403
const ILLEGAL_STATE = 40903

const DEFAULTS = { maxWaitTimeMs: 1000, maxBytes: 1_048_576, heartbeatIntervalMs: 3000 }

interface V2Record {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly key: string | null
  readonly value: string | null
}

/** What happened to one partition's records: up to where they were processed, and from where not. */
interface PartitionOutcome {
  readonly topic: string
  readonly partition: number
  readonly lastProcessed?: number
  readonly firstUnprocessed?: number
}

function isCode(error: unknown, ...codes: number[]): boolean {
  return error instanceof SluiceRequestError && codes.includes(error.errorCode)
}

function bytes(base64: string | null): Buffer | null {
  return base64 === null ? null : Buffer.from(base64, 'base64')
}

/** Records in the order returned, grouped per partition. */
function batchesOf(records: readonly V2Record[]): Batch[] {
  const batches = new Map<
    string,
    { topic: string; partition: number; messages: ConsumedMessage[] }
  >()
  for (const record of records) {
    const key = `${record.topic}/${record.partition}`
    let batch = batches.get(key)
    if (!batch) {
      batch = { topic: record.topic, partition: record.partition, messages: [] }
      batches.set(key, batch)
    }
    batch.messages.push({
      key: bytes(record.key),
      value: bytes(record.value),
      offset: record.offset,
    })
  }
  return [...batches.values()]
}

/**
 * A member of a consumer group, through the REST Proxy v2 consumer API: the
 * server assigns partitions, keeps positions, and rebalances as members come
 * and go; each records call is the member's heartbeat.
 *
 * Delivery is at least once: records are committed only after the handler
 * processed them, and records the handler did not get to (a failure, `stop`)
 * are read again. When the group moves a partition away mid-batch, its commit
 * is refused and the new owner reads those records again.
 */
export class Consumer {
  private readonly events = new EventEmitter()
  private readonly retry: RetryOptions
  private subscription: Subscription | undefined
  private instance: string | undefined
  private loop: Promise<void> | undefined
  private stopping = false
  private lastHeartbeat = 0
  private heartbeatInFlight: Promise<void> | undefined

  constructor(
    private readonly transport: Transport,
    private readonly clientId: string,
    private readonly options: ConsumerOptions,
  ) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry }
  }

  /** Checks that the server answers, so a wrong URL or key fails here rather than in `run`. */
  async connect(): Promise<void> {
    await this.transport.send({ method: 'GET', path: '/v3/clusters' })
  }

  subscribe(subscription: Subscription): void {
    if (this.loop) throw new ClientStateError('Subscribe before run: the consumer is running.')
    if (Array.isArray(subscription.topics) && subscription.topics.length === 0) {
      throw new InvalidArgumentError('Subscribe to at least one topic.')
    }
    this.subscription = subscription
  }

  /**
   * `crash`: the consumer stopped on an error it cannot get past (a handler
   * failing past its retries, a refused request). Without a listener the error
   * is thrown, as an unhandled rejection.
   */
  on(event: 'crash', listener: (error: Error) => void): this {
    this.events.on(event, listener)
    return this
  }

  /** Joins the group and starts consuming; resolves once joined, as kafkajs's run does. */
  async run(config: RunConfig): Promise<void> {
    if (this.loop) throw new ClientStateError('The consumer is running already.')
    if (!this.subscription) throw new ClientStateError('Subscribe before run.')
    this.stopping = false
    if (this.instance === undefined) this.instance = await this.join(this.subscription)
    // Run again after a stop: the subscription may have changed meanwhile.
    else await this.postSubscription(this.instance, this.subscription)
    this.loop = this.consume(config).catch((error: Error) => this.crash(error))
  }

  /**
   * Stops after the record being processed, commits what was processed (with
   * autoCommit), and gives the rest back, so a later `run` reads it again.
   */
  async stop(): Promise<void> {
    this.stopping = true
    await this.loop
    this.loop = undefined
  }

  /** Stops, then leaves the group: its partitions go to the other members at once. */
  async disconnect(): Promise<void> {
    await this.stop()
    await this.leave()
  }

  /** Commits offsets (the next to read per partition) as this member; for `autoCommit: false`. */
  async commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const instance = this.requireInstance()
    for (const { offset } of offsets) {
      if (!Number.isInteger(offset) || offset < 1) {
        throw new InvalidArgumentError(
          `A committed offset is the next one to read, at least 1; got ${offset}.`,
        )
      }
    }
    await this.postCommit(
      instance,
      offsets.map(({ topic, partition, offset }) => ({
        topic,
        partition,
        lastProcessed: offset - 1,
      })),
    )
  }

  private async join(subscription: Subscription): Promise<string> {
    const group = `/consumers/${segment(this.options.groupId)}`
    const created = await this.transport.json<{ instance_id: string }>({
      method: 'POST',
      path: group,
      contentType: V2,
      body: {
        name: `${this.clientId}-${randomUUID()}`,
        format: 'binary',
        'auto.offset.reset': subscription.fromBeginning ? 'earliest' : 'latest',
        // Committing is this client's job, after processing: the server would commit what it returned.
        'auto.commit.enable': 'false',
        ...(this.options.sessionTimeoutMs !== undefined && {
          'session.timeout.ms': String(this.options.sessionTimeoutMs),
        }),
        ...(this.options.assignor !== undefined && {
          'partition.assignment.strategy': this.options.assignor,
        }),
      },
    })
    const instance = `${group}/instances/${segment(created.instance_id)}`
    await this.postSubscription(instance, subscription)
    this.lastHeartbeat = Date.now()
    return instance
  }

  private postSubscription(instance: string, subscription: Subscription): Promise<string> {
    const { topics } = subscription
    return this.transport.send({
      method: 'POST',
      path: `${instance}/subscription`,
      contentType: V2,
      body: topics instanceof RegExp ? { topic_pattern: topics.source } : { topics },
    })
  }

  private async consume(config: RunConfig): Promise<void> {
    let failures = 0
    while (!this.stopping) {
      const records = await this.poll()
      const outcome = await this.process(batchesOf(records), config)
      const instance = this.requireInstance()
      if (config.autoCommit ?? true) {
        const processed = outcome.partitions.filter((p) => p.lastProcessed !== undefined)
        if (processed.length > 0) await this.commitQuietly(instance, processed)
      }
      await this.giveBack(instance, outcome.partitions)
      if (!outcome.error) {
        failures = 0
        continue
      }
      if (failures >= this.retry.retries) throw outcome.error
      await backoff(failures++, {
        baseMs: this.retry.initialRetryTimeMs,
        capMs: this.retry.maxRetryTimeMs,
      })
    }
  }

  /** One records call: the heartbeat that also brings records. A member the group forgot joins again. */
  private async poll(): Promise<V2Record[]> {
    const instance = this.requireInstance()
    const { maxWaitTimeMs, maxBytes } = { ...DEFAULTS, ...this.options }
    try {
      const records = await this.transport.json<V2Record[]>({
        method: 'GET',
        path: `${instance}/records?timeout=${maxWaitTimeMs}&max_bytes=${maxBytes}`,
        accept: BINARY_V2,
      })
      this.lastHeartbeat = Date.now()
      return records
    } catch (error) {
      // Idle past consumer.instance.timeout.ms: its partitions resume from the last commit.
      if (!isCode(error, CONSUMER_INSTANCE_NOT_FOUND)) throw error
      this.instance = await this.join(this.subscription as Subscription)
      return []
    }
  }

  /** Runs the handler over each partition's records, heartbeating meanwhile; stops at the first failure. */
  private async process(
    batches: readonly Batch[],
    config: RunConfig,
  ): Promise<{ partitions: PartitionOutcome[]; error?: Error }> {
    const partitions: PartitionOutcome[] = []
    const stopHeartbeats = this.startHeartbeats()
    let error: Error | undefined
    try {
      for (const batch of batches) {
        let lastProcessed: number | undefined
        if (!error && !this.stopping) {
          try {
            if ('eachMessage' in config) {
              for (const message of batch.messages) {
                if (this.stopping) break
                await config.eachMessage({
                  topic: batch.topic,
                  partition: batch.partition,
                  message,
                  heartbeat: () => this.heartbeatSoon(),
                })
                lastProcessed = message.offset
              }
            } else {
              await config.eachBatch({
                batch,
                resolveOffset: (offset) => {
                  if (lastProcessed === undefined || offset > lastProcessed) lastProcessed = offset
                },
                heartbeat: () => this.heartbeatSoon(),
                isRunning: () => !this.stopping,
              })
              if (config.eachBatchAutoResolve ?? true) lastProcessed = batch.messages.at(-1)?.offset
            }
          } catch (failure) {
            error = failure instanceof Error ? failure : new Error(String(failure))
          }
        }
        const firstUnprocessed = batch.messages.find(
          (m) => lastProcessed === undefined || m.offset > lastProcessed,
        )?.offset
        partitions.push({
          topic: batch.topic,
          partition: batch.partition,
          ...(lastProcessed !== undefined && { lastProcessed }),
          ...(firstUnprocessed !== undefined && { firstUnprocessed }),
        })
      }
    } finally {
      await stopHeartbeats()
    }
    return { partitions, ...(error && { error }) }
  }

  /**
   * Heartbeats every heartbeatIntervalMs until the returned function is
   * called, which waits for a heartbeat in flight: calls on one instance are
   * best made one at a time.
   */
  private startHeartbeats(): () => Promise<void> {
    const interval = this.options.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs
    const timer = setInterval(() => void this.heartbeatSoon(), interval)
    return async () => {
      clearInterval(timer)
      await this.heartbeatInFlight
    }
  }

  /**
   * Posting the same subscription again heartbeats without reading records.
   * Failures are left to the next records call, which meets the same cause
   * and handles it (a member the group dropped joins again).
   */
  private heartbeatSoon(): Promise<void> {
    const interval = this.options.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs
    if (this.heartbeatInFlight || Date.now() - this.lastHeartbeat < interval) {
      return this.heartbeatInFlight ?? Promise.resolve()
    }
    const instance = this.requireInstance()
    this.heartbeatInFlight = this.postSubscription(instance, this.subscription as Subscription)
      .then(
        () => {
          this.lastHeartbeat = Date.now()
        },
        () => undefined,
      )
      .finally(() => {
        this.heartbeatInFlight = undefined
      })
    return this.heartbeatInFlight
  }

  /** Commits processed records; a refusal means the partition moved, and its new owner reads them again. */
  private async commitQuietly(instance: string, partitions: readonly PartitionOutcome[]) {
    try {
      await this.postCommit(instance, partitions)
    } catch (error) {
      if (!isCode(error, ILLEGAL_STATE, CONSUMER_INSTANCE_NOT_FOUND)) throw error
      // One moved partition refuses the whole commit: the others are committed on their own.
      if (partitions.length === 1) return
      for (const partition of partitions) await this.commitQuietly(instance, [partition])
    }
  }

  private async postCommit(instance: string, partitions: readonly PartitionOutcome[]) {
    await this.transport.send({
      method: 'POST',
      path: `${instance}/offsets`,
      contentType: V2,
      // The v2 API takes the last offset processed and commits the one after it.
      body: {
        offsets: partitions.map(({ topic, partition, lastProcessed }) => ({
          topic,
          partition,
          offset: lastProcessed,
        })),
      },
    })
  }

  /**
   * Moves the instance's positions back to the first record not processed,
   * which the server's positions had passed when it returned them. A partition
   * that moved away needs nothing: its new owner starts from the last commit.
   */
  private async giveBack(instance: string, partitions: readonly PartitionOutcome[]) {
    for (const { topic, partition, firstUnprocessed } of partitions) {
      if (firstUnprocessed === undefined) continue
      try {
        await this.transport.send({
          method: 'POST',
          path: `${instance}/positions`,
          contentType: V2,
          body: { offsets: [{ topic, partition, offset: firstUnprocessed }] },
        })
      } catch (error) {
        if (!isCode(error, ILLEGAL_STATE, CONSUMER_INSTANCE_NOT_FOUND)) throw error
      }
    }
  }

  private async leave(): Promise<void> {
    const instance = this.instance
    if (instance === undefined) return
    this.instance = undefined
    try {
      await this.transport.send({ method: 'DELETE', path: instance })
    } catch (error) {
      if (!isCode(error, CONSUMER_INSTANCE_NOT_FOUND)) throw error
    }
  }

  /** Leaves the group, so the partitions move on at once, and reports the error. */
  private async crash(error: Error): Promise<void> {
    this.stopping = true
    this.loop = undefined
    await this.leave().catch(() => undefined)
    if (!this.events.emit('crash', error)) throw error
  }

  private requireInstance(): string {
    if (this.instance === undefined)
      throw new ClientStateError('The consumer has not joined its group.')
    return this.instance
  }
}
