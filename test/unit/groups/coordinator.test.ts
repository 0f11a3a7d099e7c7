import { beforeEach, describe, expect, it } from 'vitest'
import { TopicNotFoundError } from '../../../lib/errors.ts'
import { GroupCoordinator, type MemberAssignment } from '../../../lib/groups/coordinator.ts'
import { StaleMemberEpochError, UnknownMemberIdError } from '../../../lib/groups/errors.ts'
import { DEFAULT_GROUP_OPTIONS } from '../../../lib/groups/group-options.ts'
import { type TopicCatalog, TopicMetadata } from '../../../lib/groups/topic-metadata.ts'
import {
  partitionKeyOf,
  sortPartitionKeys,
  type TopicPartition,
} from '../../../lib/groups/topic-partitions.ts'
import { memoryStorage } from '../../../lib/storage/memory/storage-engine.ts'
import type { GroupStores } from '../../../lib/storage/ports/groups.ts'
import type { TopicItem } from '../../../lib/storage/ports/topics.ts'

const START = 1_750_000_000_000
const SESSION_MS = 10_000
const GROUP = 'payments'

/** The topics the group subscribes to, fixed for these tests. */
class FixedTopics implements TopicCatalog {
  private readonly topics = new Map<string, TopicItem>()

  constructor(...topics: [name: string, partitions: number][]) {
    for (const [name, partitionsCount] of topics) {
      this.topics.set(name, {
        name,
        topicId: `${name}-id`,
        partitionsCount,
        configs: {},
        createdAt: 0,
      })
    }
  }

  async describe(name: string): Promise<TopicItem> {
    const topic = this.topics.get(name)
    if (!topic) throw new TopicNotFoundError(name)
    return topic
  }

  lookup(name: string): Promise<TopicItem> {
    return this.describe(name)
  }

  async list(): Promise<TopicItem[]> {
    return [...this.topics.values()]
  }
}

function keys(partitions: readonly TopicPartition[]): string[] {
  return sortPartitionKeys(partitions.map(partitionKeyOf))
}

function offsetsFor(partitions: readonly TopicPartition[], offset: number) {
  return partitions.map(({ topic, partition }) => ({
    topic,
    partition,
    topicId: `${topic}-id`,
    offset,
    metadata: '',
  }))
}

describe('GroupCoordinator on the memory engine', () => {
  let now: number
  let stores: GroupStores
  let coordinator: GroupCoordinator

  beforeEach(() => {
    now = START
    stores = memoryStorage()
    coordinator = new GroupCoordinator(
      stores.groups,
      stores.offsets,
      new TopicMetadata(new FixedTopics(['orders', 4])),
      { ...DEFAULT_GROUP_OPTIONS, clock: () => now },
    )
  })

  function join(memberId: string): Promise<MemberAssignment> {
    return coordinator.join({
      groupId: GROUP,
      memberId,
      subscription: { kind: 'topics', topics: ['orders'] },
      sessionTimeoutMs: SESSION_MS,
      clientId: memberId,
    })
  }

  function heartbeat(memberId: string, answer: MemberAssignment): Promise<MemberAssignment> {
    return coordinator.heartbeat({
      groupId: GROUP,
      memberId,
      memberEpoch: answer.memberEpoch,
      owned: answer.partitions,
    })
  }

  /** Two members that have settled, each holding half the topic; also the first member's answer before the second came. */
  async function twoSettledMembers(): Promise<{
    readonly alone: MemberAssignment
    readonly a: MemberAssignment
    readonly b: MemberAssignment
  }> {
    const alone = await join('a')
    const b = await join('b')
    const a = await heartbeat('a', await heartbeat('a', alone))
    return { alone, a, b: await heartbeat('b', b) }
  }

  it('gives a lone member every partition', async () => {
    const a = await join('a')
    expect(a.memberEpoch).toBe(1)
    expect(keys(a.partitions)).toEqual(['orders/0', 'orders/1', 'orders/2', 'orders/3'])
    expect(a.revoking).toEqual([])
  })

  it('moves half the partitions to a second member, only once the first has given them up', async () => {
    const first = await join('a')
    const b = await join('b')
    expect(b.partitions).toEqual([])
    expect(b.pending).toHaveLength(2)

    const revoking = await heartbeat('a', first)
    expect(revoking.memberEpoch).toBe(first.memberEpoch)
    expect(keys(revoking.revoking)).toEqual(keys(b.pending))
    // Until the first member says it let them go, the second gets nothing.
    expect((await heartbeat('b', b)).partitions).toEqual([])

    const released = await heartbeat('a', revoking)
    const granted = await heartbeat('b', b)
    expect(released.memberEpoch).toBe(2)
    expect(granted.memberEpoch).toBe(2)
    expect(keys([...released.partitions, ...granted.partitions])).toEqual([
      'orders/0',
      'orders/1',
      'orders/2',
      'orders/3',
    ])
    expect(keys(granted.partitions)).toEqual(keys(b.pending))
  })

  it('commits the offsets of partitions a member holds, at its epoch', async () => {
    const { a } = await twoSettledMembers()
    await coordinator.commit(
      GROUP,
      { kind: 'member', memberId: 'a', memberEpoch: a.memberEpoch },
      offsetsFor(a.partitions, 7),
    )
    const committed = await coordinator.committed(GROUP)
    expect(keys(committed)).toEqual(keys(a.partitions))
    expect(committed.every((offset) => offset.offset === 7 && offset.committedAt === now)).toBe(
      true,
    )
  })

  it('refuses a commit from an epoch the member has left, committing nothing', async () => {
    const { alone, a } = await twoSettledMembers()
    expect(a.memberEpoch).toBeGreaterThan(alone.memberEpoch)
    await expect(
      coordinator.commit(
        GROUP,
        { kind: 'member', memberId: 'a', memberEpoch: alone.memberEpoch },
        offsetsFor(a.partitions, 3),
      ),
    ).rejects.toThrow(StaleMemberEpochError)
    expect(await coordinator.committed(GROUP)).toEqual([])
  })

  it("refuses a commit of another member's partition along with its own", async () => {
    const { a, b } = await twoSettledMembers()
    const attempt = coordinator.commit(
      GROUP,
      { kind: 'member', memberId: 'a', memberEpoch: a.memberEpoch },
      offsetsFor([...a.partitions, ...b.partitions.slice(0, 1)], 3),
    )
    await expect(attempt).rejects.toThrow(StaleMemberEpochError)
    await expect(attempt).rejects.toThrow(partitionKeyOf(b.partitions[0] as TopicPartition))
    expect(await coordinator.committed(GROUP)).toEqual([])
  })

  it('refuses a commit once the member session ran out, and hands its partitions to the other', async () => {
    const { a, b } = await twoSettledMembers()
    now += SESSION_MS / 2
    const kept = await heartbeat('b', b)
    now += SESSION_MS / 2 + 1
    await expect(
      coordinator.commit(
        GROUP,
        { kind: 'member', memberId: 'a', memberEpoch: a.memberEpoch },
        offsetsFor(a.partitions, 3),
      ),
    ).rejects.toThrow(UnknownMemberIdError)
    const alone = await heartbeat('b', await heartbeat('b', kept))
    expect(alone.partitions).toHaveLength(4)
  })

  it('takes commits without membership only while the group has no members', async () => {
    const partitions = [{ topic: 'orders', partition: 0 }]
    await coordinator.commit(GROUP, { kind: 'none' }, offsetsFor(partitions, 11))
    expect((await coordinator.committed(GROUP)).map((offset) => offset.offset)).toEqual([11])

    await join('a')
    await expect(
      coordinator.commit(GROUP, { kind: 'none' }, offsetsFor(partitions, 12)),
    ).rejects.toThrow(UnknownMemberIdError)
    await coordinator.leave(GROUP, 'a')
    await coordinator.commit(GROUP, { kind: 'none' }, offsetsFor(partitions, 13))
    expect((await coordinator.committed(GROUP)).map((offset) => offset.offset)).toEqual([13])
  })
})
