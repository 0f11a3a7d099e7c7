import { beforeEach, describe, expect, it } from 'vitest'
import { createBroker } from '../../../lib/broker/broker.ts'
import { GroupCoordinator, type MemberAssignment } from '../../../lib/groups/coordinator.ts'
import { StaleMemberEpochError, UnknownMemberIdError } from '../../../lib/groups/errors.ts'
import { DEFAULT_GROUP_OPTIONS } from '../../../lib/groups/group-options.ts'
import { TopicMetadata } from '../../../lib/groups/topic-metadata.ts'
import {
  partitionKeyOf,
  sortPartitionKeys,
  type TopicPartition,
} from '../../../lib/groups/topic-partitions.ts'
import { memoryStorage } from '../../../lib/storage/memory/storage-engine.ts'
import type { StorageEngine } from '../../../lib/storage/ports/storage-engine.ts'
import type { TopicItem } from '../../../lib/storage/ports/topics.ts'

const START = 1_750_000_000_000
const SESSION_MS = 10_000
const GROUP = 'payments'

/** The topic the group subscribes to, made anew for each test. */
let orders: TopicItem

function keys(partitions: readonly TopicPartition[]): string[] {
  return sortPartitionKeys(partitions.map(partitionKeyOf))
}

function offsetsFor(partitions: readonly TopicPartition[], offset: number) {
  return partitions.map(({ topic, partition }) => ({
    topic,
    partition,
    topicId: orders.topicId,
    offset,
    metadata: '',
  }))
}

describe('GroupCoordinator on the memory engine', () => {
  let now: number
  let stores: StorageEngine
  let coordinator: GroupCoordinator

  beforeEach(async () => {
    now = START
    stores = memoryStorage()
    const { topics } = createBroker(stores)
    orders = await topics.create({ name: 'orders', partitionsCount: 4 })
    coordinator = new GroupCoordinator(stores.groups, stores.offsets, new TopicMetadata(topics), {
      ...DEFAULT_GROUP_OPTIONS,
      clock: () => now,
    })
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
