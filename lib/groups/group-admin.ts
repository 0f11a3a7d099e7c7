import type { LogReader, StartPosition } from '../broker/reader.ts'
import type { Topics } from '../broker/topics.ts'
import { BadRequestError, RetriableStorageError } from '../errors.ts'
import type { GroupStore } from '../storage/ports/groups.ts'
import { FenceRejectedError, type OffsetStore } from '../storage/ports/offsets.ts'
import type { TopicItem } from '../storage/ports/topics.ts'
import type { GroupCoordinator, OffsetToCommit } from './coordinator.ts'
import { ConsumerGroupNotFoundError, GroupNotEmptyError, UnknownMemberIdError } from './errors.ts'
import { type GroupRecord, heldBy, type MemberRecord } from './group-records.ts'
import { validateGroupId } from './names.ts'
import type { TopicMetadata } from './topic-metadata.ts'
import {
  comparePartitions,
  type PartitionKey,
  parsePartitionKey,
  partitionKeyOf,
  type TopicPartition,
  topicsOf,
} from './topic-partitions.ts'

/** KIP-848's consumer group states, as the REST Proxy reports them. */
export type GroupStateName = 'EMPTY' | 'RECONCILING' | 'STABLE'

export interface GroupDescription {
  readonly group: GroupRecord
  readonly members: readonly MemberRecord[]
  readonly state: GroupStateName
}

/**
 * How far a group is behind in one partition: from its committed offset to the
 * log end, or, with nothing committed, from the log start (all of the log is
 * still to read). Never negative: a commit past the log end, which Kafka
 * accepts as well, counts as caught up.
 */
export interface PartitionLag extends TopicPartition {
  /** The next offset the group reads; absent when it has committed nothing here. */
  readonly currentOffset?: number
  readonly logEndOffset: number
  readonly lag: number
  /** The member holding the partition, if one does. */
  readonly member?: MemberRecord
}

/** Which partitions an offset reset covers: named ones, whole topics, or (neither) every committed one. */
export interface ResetSelection {
  readonly topics?: readonly string[]
  readonly partitions?: readonly TopicPartition[]
}

/** How often a delete starts over because the group changed under it. */
const DELETE_ATTEMPTS = 5

/** Stable once every member holds exactly its target at the target's epoch. */
export function groupStateOf(group: GroupRecord, members: readonly MemberRecord[]): GroupStateName {
  if (members.length === 0) return 'EMPTY'
  const settled = members.every((member) => {
    const target = group.target[member.memberId] ?? []
    return (
      member.epoch === group.assignmentEpoch &&
      member.revoking.length === 0 &&
      member.assigned.length === target.length &&
      member.assigned.every((key, i) => key === target[i])
    )
  })
  return settled ? 'STABLE' : 'RECONCILING'
}

/** Reading groups and the admin changes Kafka allows on groups without members. */
export class GroupAdmin {
  constructor(
    private readonly store: GroupStore,
    private readonly offsets: OffsetStore,
    private readonly coordinator: GroupCoordinator,
    private readonly topics: Topics,
    private readonly reader: LogReader,
    private readonly metadata: TopicMetadata,
  ) {}

  async list(): Promise<GroupDescription[]> {
    const ids: string[] = []
    for await (const group of this.store.groups()) ids.push(group.groupId)
    const described = await Promise.all(ids.sort().map((id) => this.find(id)))
    return described.filter((group) => group !== undefined)
  }

  async describe(groupId: string): Promise<GroupDescription> {
    const description = await this.find(groupId)
    if (!description) throw new ConsumerGroupNotFoundError(groupId)
    return description
  }

  /**
   * Lag per partition of every existing topic the group subscribes to, holds
   * or has committed in, as kafka-consumer-groups --describe shows it, with
   * partitions that have nothing committed among them.
   */
  async lags(groupId: string): Promise<PartitionLag[]> {
    const [{ group, members }, committed] = await Promise.all([
      this.describe(groupId),
      this.coordinator.committed(groupId),
    ])
    const holders = new Map<PartitionKey, MemberRecord>()
    for (const member of members) for (const key of heldBy(member)) holders.set(key, member)
    const topics = await this.metadata.existing(
      new Set([
        ...topicsOf(committed),
        ...Object.keys(group.topics),
        ...[...holders.keys()].map((key) => parsePartitionKey(key).topic),
      ]),
    )
    const commits = new Map(
      committed
        .filter((offset) => topics.get(offset.topic)?.topicId === offset.topicId)
        .map((offset) => [partitionKeyOf(offset), offset.offset]),
    )
    const lags = await Promise.all(
      [...topics.values()].map(async (topic) =>
        [...(await this.topics.allOffsets(topic))].map(([partition, head]): PartitionLag => {
          const key = partitionKeyOf({ topic: topic.name, partition })
          const currentOffset = commits.get(key)
          const member = holders.get(key)
          return {
            topic: topic.name,
            partition,
            ...(currentOffset !== undefined && { currentOffset }),
            logEndOffset: head.logEndOffset,
            lag: Math.max(0, head.logEndOffset - (currentOffset ?? head.logStartOffset)),
            ...(member && { member }),
          }
        }),
      ),
    )
    return lags.flat().sort(comparePartitions)
  }

  /**
   * Sets the committed offsets of a group without members: to the log start,
   * the log end, an offset inside the log, or the first record at a time.
   * Creates the group if it does not exist, as Kafka does. With `validateOnly`
   * it answers what it would commit (Kafka's --dry-run) and commits nothing.
   */
  async resetOffsets(
    groupId: string,
    selection: ResetSelection,
    to: StartPosition,
    { validateOnly = false } = {},
  ): Promise<OffsetToCommit[]> {
    validateGroupId(groupId)
    const partitions = await this.select(groupId, selection)
    if (partitions.length === 0) {
      throw new BadRequestError(
        `Group '${groupId}' has no committed offsets to reset; name topics or partitions.`,
      )
    }
    if (((await this.find(groupId))?.members.length ?? 0) > 0) {
      throw new GroupNotEmptyError(groupId, 'reset the offsets of')
    }
    const offsets = await Promise.all(
      partitions.map(async ({ topic, partition }) => ({
        topic: topic.name,
        partition,
        topicId: topic.topicId,
        offset: await this.resetTo(topic, partition, to),
        metadata: '',
      })),
    )
    if (validateOnly) return offsets
    try {
      await this.coordinator.commit(groupId, { kind: 'none' }, offsets)
    } catch (error) {
      if (error instanceof UnknownMemberIdError)
        throw new GroupNotEmptyError(groupId, 'reset the offsets of')
      throw error
    }
    return offsets
  }

  /**
   * Deletes a group without members, and its committed offsets. The offsets
   * read and the group item go together, conditioned on the group's version:
   * a commit or a join landing after the read moves it, and the delete starts
   * over, so no offset outlives its group. (A store may split many deletes
   * into several writes; a member joining between them stops the delete with
   * some offsets gone, never with offsets left behind a deleted group.)
   */
  async delete(groupId: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const { group, members } = await this.describe(groupId)
      if (members.length > 0) throw new GroupNotEmptyError(groupId, 'delete')
      const offsets = await this.offsets.list(groupId)
      try {
        await this.offsets.deleteGroup(groupId, {
          version: group.version,
          partitions: offsets.map(partitionKeyOf),
        })
        return
      } catch (error) {
        if (!(error instanceof FenceRejectedError)) throw error
        if (attempt + 1 >= DELETE_ATTEMPTS) {
          throw new RetriableStorageError(
            `Group '${groupId}' kept changing while it was being deleted; retry the request.`,
          )
        }
      }
    }
  }

  /** The group after expiring members whose session ran out, as any group operation does. */
  private async find(groupId: string): Promise<GroupDescription | undefined> {
    validateGroupId(groupId)
    await this.coordinator.expire(groupId)
    const { group, members } = await this.store.load(groupId)
    if (!group) return undefined
    return { group, members, state: groupStateOf(group, members) }
  }

  private async select(
    groupId: string,
    selection: ResetSelection,
  ): Promise<{ readonly topic: TopicItem; readonly partition: number }[]> {
    if (selection.partitions) {
      return Promise.all(
        selection.partitions.map(async (tp) => ({
          topic: await this.topics.partition(tp.topic, tp.partition),
          partition: tp.partition,
        })),
      )
    }
    if (selection.topics) {
      const topics = await Promise.all(selection.topics.map((name) => this.topics.describe(name)))
      return topics.flatMap((topic) =>
        Array.from({ length: topic.partitionsCount }, (_, partition) => ({ topic, partition })),
      )
    }
    const committed = await this.coordinator.committed(groupId)
    const topics = await this.metadata.existing(topicsOf(committed))
    return committed.flatMap((offset) => {
      const topic = topics.get(offset.topic)
      return topic?.topicId === offset.topicId ? [{ topic, partition: offset.partition }] : []
    })
  }

  private async resetTo(topic: TopicItem, partition: number, to: StartPosition): Promise<number> {
    if (to.kind === 'timestamp')
      return this.reader.offsetForTimestamp(topic, partition, to.timestamp)
    const head = await this.topics.offsets(topic, partition)
    switch (to.kind) {
      case 'earliest':
        return head.logStartOffset
      case 'latest':
        return head.logEndOffset
      case 'offset':
        // As kafka-consumer-groups --to-offset: an offset outside the log moves to its nearer end.
        return Math.min(Math.max(to.offset, head.logStartOffset), head.logEndOffset)
    }
  }
}
