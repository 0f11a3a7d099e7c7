import { randomUUID } from 'node:crypto'
import type { LogReader, ReadRecord, StartPosition } from '../../../broker/reader.ts'
import type { Topics } from '../../../broker/topics.ts'
import { backoff } from '../../../common/backoff.ts'
import { SluiceError } from '../../../errors.ts'
import type {
  GroupCoordinator,
  MemberAssignment,
  OffsetToCommit,
} from '../../../groups/coordinator.ts'
import {
  ConcurrentInstanceUpdateError,
  ConsumerInstanceNotFoundError,
  FencedMemberEpochError,
  IllegalConsumerStateError,
  StaleMemberEpochError,
  UnknownMemberIdError,
} from '../../../groups/errors.ts'
import { validateGroupId, validateInstanceName } from '../../../groups/names.ts'
import {
  checkedSubscription,
  matchTopics,
  type Subscription,
} from '../../../groups/subscription.ts'
import { TopicMetadata } from '../../../groups/topic-metadata.ts'
import {
  type PartitionKey,
  parsePartitionKey,
  partitionKeyOf,
  sortPartitionKeys,
  type TopicPartition,
} from '../../../groups/topic-partitions.ts'
import {
  InstanceConflictError,
  type InstanceId,
  type InstanceRecord,
  type InstanceSettings,
  type InstanceStore,
  type Position,
} from '../../../storage/ports/consumer-instances.ts'
import type { CommittedOffset } from '../../../storage/ports/offsets.ts'
import type { TopicItem } from '../../../storage/ports/topics.ts'
import { DEFAULT_INSTANCE_OPTIONS, type InstanceOptions } from './instance-options.ts'
import { type FetchLimits, RecordFetcher } from './record-fetcher.ts'

export interface CreateInstanceRequest extends InstanceSettings {
  readonly groupId: string
  /** The instance's name in its URLs; a random one when absent. */
  readonly name?: string
}

/** An offset to commit: the next offset to read, with optional metadata. */
export interface OffsetCommitRequest extends TopicPartition {
  readonly offset: number
  readonly metadata?: string
}

/** Where to move an instance's position in one of its partitions. */
export interface SeekRequest extends TopicPartition {
  readonly to: StartPosition
}

export interface ConsumedRecord extends ReadRecord {
  readonly topic: string
  readonly partition: number
}

/**
 * Turns a record into what the client receives. Throws a SluiceError for a
 * record it cannot convert: the instance then stops in front of that record.
 */
export type RecordConverter<T> = (record: ConsumedRecord) => T | Promise<T>

/** What one step did to an instance: its new state (if any), its answer, and an error to report after saving. */
interface InstanceChange<T> {
  readonly next?: InstanceRecord
  readonly value: T
  readonly error?: SluiceError
}

const MIXED_SUBSCRIPTION =
  'Subscription to topics or a pattern and manual assignment of partitions are mutually exclusive.'

const UPDATE_ATTEMPTS = 4
const UPDATE_BACKOFF = { baseMs: 20, capMs: 200 }

function pick(
  positions: InstanceRecord['positions'],
  keep: ReadonlySet<PartitionKey>,
): Record<PartitionKey, Position> {
  return Object.fromEntries(Object.entries(positions).filter(([key]) => keep.has(key)))
}

/**
 * REST Proxy v2 consumer instances. Nothing lives in the process: each call
 * reads the instance, does its work against the group coordinator and the log,
 * and writes the instance back conditioned on the version it read, so calls for
 * one instance may land on any node. A subscribed instance is a group member
 * whose records calls are its heartbeats.
 */
export class ConsumerInstances {
  constructor(
    private readonly store: InstanceStore,
    private readonly coordinator: GroupCoordinator,
    private readonly topics: Topics,
    private readonly reader: LogReader,
    private readonly fetcher: RecordFetcher,
    private readonly metadata: TopicMetadata,
    private readonly options: InstanceOptions,
  ) {}

  async create(request: CreateInstanceRequest): Promise<InstanceRecord> {
    validateGroupId(request.groupId)
    const instanceId = request.name ?? `rest-consumer-${randomUUID()}`
    validateInstanceName(instanceId)
    if (request.sessionTimeoutMs !== undefined) {
      this.coordinator.sessionTimeout(request.sessionTimeoutMs)
    }
    const now = this.options.clock()
    const instance: InstanceRecord = {
      groupId: request.groupId,
      instanceId,
      memberId: `${instanceId}-${randomUUID()}`,
      format: request.format,
      autoOffsetReset: request.autoOffsetReset,
      autoCommit: request.autoCommit,
      ...(request.sessionTimeoutMs !== undefined && { sessionTimeoutMs: request.sessionTimeoutMs }),
      ...(request.assignor !== undefined && { assignor: request.assignor }),
      mode: { kind: 'idle' },
      partitions: [],
      positions: {},
      lastAutoCommitAt: now,
      idleDeadline: now + this.options.instanceTimeoutMs,
      version: 0,
      createdAt: now,
    }
    await this.store.create(instance)
    return instance
  }

  /** Closes the instance as Kafka's consumer.close() does: commit (if auto), leave, and go. */
  async delete(id: InstanceId): Promise<void> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const instance = await this.live(id, this.options.clock())
      await this.close(instance)
      try {
        await this.store.delete(instance)
        return
      } catch (error) {
        if (!(error instanceof InstanceConflictError)) throw error
        await backoff(attempt, UPDATE_BACKOFF)
      }
    }
    throw new ConcurrentInstanceUpdateError(id.groupId, id.instanceId)
  }

  /** Subscribes, joining the group at once, or changes the subscription of a member. */
  async subscribe(id: InstanceId, subscription: Subscription): Promise<void> {
    const checked = checkedSubscription(subscription)
    await this.update(id, async (instance) => {
      if (instance.mode.kind === 'assigned') throw new IllegalConsumerStateError(MIXED_SUBSCRIPTION)
      return { next: await this.syncMembership(instance, checked), value: undefined }
    })
  }

  /** The subscribed topics: the named ones, or those the pattern matches now. */
  async subscription(id: InstanceId): Promise<string[]> {
    const subscription = await this.update(id, async (instance) => ({
      value: instance.mode.kind === 'subscribed' ? instance.mode.subscription : undefined,
    }))
    if (subscription === undefined) return []
    if (subscription.kind === 'topics') return [...subscription.topics]
    return matchTopics(subscription, (await this.metadata.resolve([subscription])).keys())
  }

  /** Leaves the group (committing first, with auto-commit) or drops the manual assignment. */
  async unsubscribe(id: InstanceId): Promise<void> {
    await this.update(id, async (instance) => {
      await this.close(instance)
      return {
        next: { ...instance, mode: { kind: 'idle' }, partitions: [], positions: {} },
        value: undefined,
      }
    })
  }

  /** Takes partitions by name (Kafka's assign); an empty list drops the assignment. */
  async assign(id: InstanceId, partitions: readonly TopicPartition[]): Promise<void> {
    const keys = sortPartitionKeys(new Set(partitions.map(partitionKeyOf)))
    await Promise.all(
      keys.map(parsePartitionKey).map((tp) => this.topics.partition(tp.topic, tp.partition)),
    )
    await this.update(id, async (instance) => {
      if (instance.mode.kind === 'subscribed') {
        throw new IllegalConsumerStateError(MIXED_SUBSCRIPTION)
      }
      const keep = new Set(keys)
      const dropped = instance.partitions.filter((key) => !keep.has(key))
      if (instance.autoCommit) await this.commitQuietly(instance, dropped)
      return {
        next: {
          ...instance,
          mode: keys.length > 0 ? { kind: 'assigned' } : { kind: 'idle' },
          partitions: keys,
          positions: pick(instance.positions, keep),
        },
        value: undefined,
      }
    })
  }

  /** The partitions the instance holds, as its last call left them. */
  async assignment(id: InstanceId): Promise<TopicPartition[]> {
    return this.update(id, async (instance) => ({
      value: instance.partitions.map(parsePartitionKey),
    }))
  }

  /**
   * Commits the offsets given, or, without a list, the position of every held
   * partition (all records returned so far), as the instance's member.
   */
  async commit(id: InstanceId, offsets?: readonly OffsetCommitRequest[]): Promise<void> {
    const given =
      offsets &&
      (await this.withTopicIds(offsets)).map((offset) => ({
        ...offset,
        metadata: offset.metadata ?? '',
      }))
    await this.update(id, async (instance) => {
      await this.coordinator.commit(
        instance.groupId,
        this.committerOf(instance),
        given ?? this.positionsToCommit(instance, instance.partitions),
      )
      return { value: undefined }
    })
  }

  /** The group's committed offsets for the partitions given, or for the held ones. */
  async committed(
    id: InstanceId,
    partitions?: readonly TopicPartition[],
  ): Promise<CommittedOffset[]> {
    const asked = partitions && (await this.withTopicIds(partitions))
    return this.update(id, async (instance) => {
      const wanted = asked ?? (await this.withLiveTopicIds(instance.partitions))
      const topicIds = new Map(wanted.map((tp) => [partitionKeyOf(tp), tp.topicId]))
      const offsets = await this.coordinator.committed(instance.groupId)
      return {
        value: offsets.filter((offset) => topicIds.get(partitionKeyOf(offset)) === offset.topicId),
      }
    })
  }

  /** Moves positions in held partitions: to an offset, the first record at a time, or either end. */
  async seek(id: InstanceId, requests: readonly SeekRequest[]): Promise<void> {
    await this.update(id, async (instance) => {
      const held = new Set(instance.partitions)
      const foreign = requests.find((request) => !held.has(partitionKeyOf(request)))
      if (foreign) {
        throw new IllegalConsumerStateError(
          `No current assignment for partition ${foreign.topic}-${foreign.partition}.`,
        )
      }
      const topics = new Map<string, TopicItem>()
      const positions = { ...instance.positions }
      for (const request of requests) {
        const topic = topics.get(request.topic) ?? (await this.topics.describe(request.topic))
        topics.set(topic.name, topic)
        const offset = await this.resolve(topic, request)
        positions[partitionKeyOf(request)] = { offset, topicId: topic.topicId }
      }
      return { next: { ...instance, positions }, value: undefined }
    })
  }

  /**
   * The records call: heartbeats (for a subscribed instance), auto-commits what
   * earlier calls returned when the interval is up, and reads from the held
   * partitions, waiting up to `limits.timeoutMs` when there is nothing.
   * `converterFor` picks the conversion for the instance's format; it may refuse
   * the instance (a format the caller cannot take), before anything changes.
   */
  async poll<T>(
    id: InstanceId,
    limits: FetchLimits,
    converterFor: (instance: InstanceRecord) => RecordConverter<T>,
  ): Promise<T[]> {
    return this.update(id, async (instance, now) => {
      const convert = converterFor(instance)
      let current =
        instance.mode.kind === 'subscribed' ? await this.syncMembership(instance) : instance
      if (
        current.autoCommit &&
        now - current.lastAutoCommitAt >= this.options.autoCommitIntervalMs
      ) {
        await this.commitQuietly(current, current.partitions)
        current = { ...current, lastAutoCommitAt: now }
      }
      const fetched = await this.fetcher.fetch(
        {
          partitions: current.partitions,
          positions: current.positions,
          autoOffsetReset: current.autoOffsetReset,
          committed: () => this.coordinator.committed(current.groupId),
        },
        limits,
      )
      const positions = { ...current.positions }
      const records: T[] = []
      let failure = fetched.failure
      for (const batch of fetched.batches) {
        let next = batch.next
        for (const record of batch.records) {
          try {
            records.push(
              await convert({ ...record, topic: batch.topic, partition: batch.partition }),
            )
          } catch (error) {
            if (!(error instanceof SluiceError)) throw error
            failure ??= error
            next = { offset: record.offset, topicId: batch.next.topicId }
            break
          }
        }
        positions[batch.key] = next
      }
      return {
        next: { ...current, positions },
        value: records,
        // Records that could be returned are; the error waits until it is the first thing in line.
        ...(records.length === 0 && failure && { error: failure }),
      }
    })
  }

  /** Removes idle instances the table's TTL has not removed yet; returns how many. */
  async expireIdle(): Promise<number> {
    let expired = 0
    for (const id of await this.store.idle(this.options.clock())) {
      const instance = await this.store.get(id)
      if (instance && instance.idleDeadline < this.options.clock()) {
        await this.retire(instance)
        expired++
      }
    }
    return expired
  }

  /**
   * Runs one step on a live instance and writes the result (or, for a step that
   * changes nothing, refreshes its idle deadline when half of it has passed).
   * A lost race with another call on the same instance runs the step again.
   */
  private async update<T>(
    id: InstanceId,
    step: (instance: InstanceRecord, now: number) => Promise<InstanceChange<T>>,
  ): Promise<T> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const now = this.options.clock()
      const instance = await this.live(id, now)
      const { next, value, error } = await step(instance, now)
      const idleFor = this.options.instanceTimeoutMs
      const stale = instance.idleDeadline - now < idleFor / 2
      const write = next ?? (stale ? instance : undefined)
      try {
        if (write) await this.store.save({ ...write, idleDeadline: now + idleFor })
      } catch (conflict) {
        if (!(conflict instanceof InstanceConflictError)) throw conflict
        await backoff(attempt, UPDATE_BACKOFF)
        continue
      }
      if (error) throw error
      return value
    }
    throw new ConcurrentInstanceUpdateError(id.groupId, id.instanceId)
  }

  /** The stored instance; an idle one is closed on the way and reported missing, as if already gone. */
  private async live(id: InstanceId, now: number): Promise<InstanceRecord> {
    validateGroupId(id.groupId)
    const instance = await this.store.get(id)
    if (instance && instance.idleDeadline >= now) return instance
    if (instance) await this.retire(instance)
    throw new ConsumerInstanceNotFoundError(id.groupId, id.instanceId)
  }

  private async retire(instance: InstanceRecord): Promise<void> {
    await this.close(instance)
    try {
      await this.store.delete(instance)
    } catch (error) {
      // Someone else retired or renewed it meanwhile: their outcome stands.
      if (!(error instanceof InstanceConflictError)) throw error
    }
  }

  /** What closing a Kafka consumer does: auto-commit the positions, then leave the group. */
  private async close(instance: InstanceRecord): Promise<void> {
    if (instance.autoCommit) await this.commitQuietly(instance, instance.partitions)
    if (instance.mode.kind === 'subscribed') {
      await this.coordinator.leave(instance.groupId, instance.memberId)
    }
  }

  /**
   * Heartbeats as the instance's member (joining when it is not one, or no
   * longer one) and takes the answer: partitions the group moved away are
   * committed (with auto-commit) and dropped, which the next heartbeat reports.
   */
  private async syncMembership(
    instance: InstanceRecord,
    subscription?: Subscription,
  ): Promise<InstanceRecord> {
    const { mode } = instance
    const wanted = subscription ?? (mode.kind === 'subscribed' ? mode.subscription : undefined)
    if (!wanted) throw new IllegalConsumerStateError('The consumer instance is not subscribed.')
    const join = () =>
      this.coordinator.join({
        groupId: instance.groupId,
        memberId: instance.memberId,
        subscription: wanted,
        ...(instance.assignor !== undefined && { assignor: instance.assignor }),
        ...(instance.sessionTimeoutMs !== undefined && {
          sessionTimeoutMs: instance.sessionTimeoutMs,
        }),
        clientId: instance.instanceId,
      })
    let answer: MemberAssignment
    let lost = mode.kind !== 'subscribed'
    if (mode.kind !== 'subscribed') {
      answer = await join()
    } else {
      try {
        answer = await this.coordinator.heartbeat({
          groupId: instance.groupId,
          memberId: instance.memberId,
          memberEpoch: mode.memberEpoch,
          owned: instance.partitions.map(parsePartitionKey),
          ...(subscription && { subscription }),
          ...(subscription && instance.assignor !== undefined && { assignor: instance.assignor }),
        })
      } catch (error) {
        if (!(error instanceof UnknownMemberIdError || error instanceof FencedMemberEpochError)) {
          throw error
        }
        // Fenced: the partitions are gone already, and commits for them would be refused.
        answer = await join()
        lost = true
      }
    }
    const partitions = answer.partitions.map(partitionKeyOf)
    const keep = new Set(partitions)
    const next: InstanceRecord = {
      ...instance,
      mode: { kind: 'subscribed', subscription: wanted, memberEpoch: answer.memberEpoch },
      partitions,
      positions: lost ? {} : pick(instance.positions, keep),
    }
    const revoked = lost ? [] : instance.partitions.filter((key) => !keep.has(key))
    // Revoked partitions are still held until the next heartbeat confirms: commits for them pass.
    if (instance.autoCommit) await this.commitQuietly({ ...instance, mode: next.mode }, revoked)
    return next
  }

  /**
   * Auto-commit: commits positions, and takes a refusal quietly, as Kafka's
   * auto-commit does; the records are then read again from the last commit.
   */
  private async commitQuietly(
    instance: InstanceRecord,
    partitions: readonly PartitionKey[],
  ): Promise<void> {
    try {
      await this.coordinator.commit(
        instance.groupId,
        this.committerOf(instance),
        this.positionsToCommit(instance, partitions),
      )
    } catch (error) {
      if (!(error instanceof UnknownMemberIdError || error instanceof StaleMemberEpochError)) {
        throw error
      }
    }
  }

  private committerOf(instance: InstanceRecord) {
    return instance.mode.kind === 'subscribed'
      ? ({
          kind: 'member',
          memberId: instance.memberId,
          memberEpoch: instance.mode.memberEpoch,
        } as const)
      : ({ kind: 'none' } as const)
  }

  private positionsToCommit(
    instance: InstanceRecord,
    partitions: readonly PartitionKey[],
  ): OffsetToCommit[] {
    return partitions.flatMap((key) => {
      const position = instance.positions[key]
      if (!position) return []
      return [
        {
          ...parsePartitionKey(key),
          topicId: position.topicId,
          offset: position.offset,
          metadata: '',
        },
      ]
    })
  }

  /** The partitions with their topics' ids, after checking both exist. */
  private async withTopicIds<P extends TopicPartition>(
    partitions: readonly P[],
  ): Promise<(P & { readonly topicId: string })[]> {
    return Promise.all(
      partitions.map(async (tp) => ({
        ...tp,
        topicId: (await this.topics.partition(tp.topic, tp.partition)).topicId,
      })),
    )
  }

  /** Held partitions with their topics' current ids; partitions of deleted topics drop out. */
  private async withLiveTopicIds(
    keys: readonly PartitionKey[],
  ): Promise<(TopicPartition & { readonly topicId: string })[]> {
    const held = keys.map(parsePartitionKey)
    const topics = await this.metadata.existing(held.map((tp) => tp.topic))
    return held.flatMap((tp) => {
      const topic = topics.get(tp.topic)
      return topic ? [{ ...tp, topicId: topic.topicId }] : []
    })
  }

  private async resolve(topic: TopicItem, request: SeekRequest): Promise<number> {
    switch (request.to.kind) {
      case 'offset':
        return request.to.offset
      case 'timestamp':
        return this.reader.offsetForTimestamp(topic, request.partition, request.to.timestamp)
      case 'earliest':
        return (await this.topics.offsets(topic, request.partition)).logStartOffset
      case 'latest':
        return (await this.topics.offsets(topic, request.partition)).logEndOffset
    }
  }
}

/** The v2 consumer instances over their store: members of the groups the coordinator keeps, reading the log. */
export function createConsumerInstances(
  store: InstanceStore,
  coordinator: GroupCoordinator,
  log: { readonly topics: Topics; readonly reader: LogReader },
  options: Partial<InstanceOptions> = {},
): ConsumerInstances {
  const settings = { ...DEFAULT_INSTANCE_OPTIONS, ...options }
  const metadata = new TopicMetadata(log.topics)
  const fetcher = new RecordFetcher(metadata, log.reader, {
    pollIntervalMs: settings.pollIntervalMs,
    clock: settings.clock,
  })
  return new ConsumerInstances(
    store,
    coordinator,
    log.topics,
    log.reader,
    fetcher,
    metadata,
    settings,
  )
}
