import { setTimeout as sleep } from 'node:timers/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import type { GroupCoordinator } from '../../../lib/groups/coordinator.ts'
import {
  FencedMemberEpochError,
  StaleMemberEpochError,
  UnknownMemberIdError,
} from '../../../lib/groups/errors.ts'
import { heldBy } from '../../../lib/groups/group-records.ts'
import { sweepGroups } from '../../../lib/runtime/group-sweep.ts'
import { countCommands, gateCommand, loseResponse } from '../../support/faults.ts'
import { createTopic, type Harness, uniqueTopic } from '../http/support.ts'
import { Consumer, createGroupsHarness, testGroupOptions, uniqueGroup } from './support.ts'

const SESSION_MS = 600

let h: Harness
let coordinator: GroupCoordinator

beforeAll(async () => {
  h = await createGroupsHarness({
    ...testGroupOptions(SESSION_MS),
    consumerInstances: { instanceTimeoutMs: SESSION_MS, autoCommitIntervalMs: 0 },
  })
  coordinator = h.groups.coordinator
})

const subscription = (topic: string) => ({ kind: 'topics', topics: [topic] }) as const

async function expectExclusive(group: string): Promise<string[][]> {
  const { members } = await h.groups.admin.describe(group)
  const held = members.flatMap(heldBy)
  expect(new Set(held).size, held.join(' ')).toBe(held.length)
  return members.map((member) => [...member.assigned])
}

describe('the coordinator under concurrency', () => {
  it('lets eight members join and heartbeat at once: races are retried, ownership stays exclusive', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 16)
    const group = uniqueGroup()
    const ids = Array.from({ length: 8 }, (_, i) => `m${i}`)
    const counter = countCommands(h.storage.clients.dynamodb)
    const epochs = new Map<string, number>()
    const owned = new Map<string, { topic: string; partition: number }[]>()
    // Every join reads the group before any of them writes: all but one must lose and retry.
    const gate = gateCommand(h.storage.clients.dynamodb, 'TransactWriteItemsCommand', {
      times: ids.length,
    })
    const joining = Promise.all(
      ids.map(async (memberId) => {
        const answer = await coordinator.join({
          groupId: group,
          memberId,
          subscription: subscription(topic),
          sessionTimeoutMs: 30_000,
          clientId: memberId,
        })
        epochs.set(memberId, answer.memberEpoch)
        owned.set(memberId, [...answer.partitions])
      }),
    )
    await gate.arrived(ids.length)
    gate.open()
    await joining
    gate.remove()
    expect(
      counter.count('TransactWriteItemsCommand', 'TransactionCanceledException'),
    ).toBeGreaterThanOrEqual(ids.length - 1)
    await expectExclusive(group)
    for (let round = 0; round < 6; round++) {
      await Promise.all(
        ids.map(async (memberId) => {
          const answer = await coordinator.heartbeat({
            groupId: group,
            memberId,
            memberEpoch: epochs.get(memberId) ?? 0,
            owned: owned.get(memberId) ?? [],
          })
          epochs.set(memberId, answer.memberEpoch)
          owned.set(memberId, [...answer.partitions])
        }),
      )
      await expectExclusive(group)
    }
    counter.remove()
    const shares = await expectExclusive(group)
    expect(shares.map((share) => share.length)).toEqual([2, 2, 2, 2, 2, 2, 2, 2])
  })

  it('lands a step whose answer was lost exactly once in effect', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    const group = uniqueGroup()
    const join = (memberId: string) =>
      coordinator.join({
        groupId: group,
        memberId,
        subscription: subscription(topic),
        sessionTimeoutMs: 30_000,
        clientId: memberId,
      })
    await join('a')
    const fault = loseResponse(h.storage.clients.dynamodb, 'TransactWriteItemsCommand', {
      times: 1,
    })
    const answer = await join('b')
    expect(fault.hits).toBe(1)
    fault.remove()
    const { members, group: record } = await h.groups.admin.describe(group)
    expect(members.map((m) => m.memberId).sort()).toEqual(['a', 'b'])
    expect(record.memberCount).toBe(2)
    expect(members.find((m) => m.memberId === 'b')?.epoch).toBe(answer.memberEpoch)
    await expectExclusive(group)
  })
})

describe('offset commit fencing', () => {
  it('refuses unknown members, stale epochs and partitions not held, and keeps the offsets', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    const group = uniqueGroup()
    const item = await h.broker.topics.describe(topic)
    const offset = (partition: number, value: number) => ({
      topic,
      partition,
      topicId: item.topicId,
      offset: value,
      metadata: '',
    })
    const base = { groupId: group, subscription: subscription(topic), sessionTimeoutMs: 30_000 }
    const first = await coordinator.join({ ...base, memberId: 'a', clientId: 'a' })
    expect(first.partitions).toHaveLength(2)
    await coordinator.commit(
      group,
      { kind: 'member', memberId: 'a', memberEpoch: first.memberEpoch },
      [offset(0, 5), offset(1, 7)],
    )

    await coordinator.join({ ...base, memberId: 'b', clientId: 'b' })
    // a gives one partition up (it keeps its epoch while revoking), then confirms and moves on.
    const revoking = await coordinator.heartbeat({
      groupId: group,
      memberId: 'a',
      memberEpoch: first.memberEpoch,
      owned: first.partitions,
    })
    expect(revoking.memberEpoch).toBe(first.memberEpoch)
    expect(revoking.partitions).toHaveLength(1)
    const given = first.partitions.find(
      (tp) => !revoking.partitions.some((kept) => kept.partition === tp.partition),
    )
    if (!given) throw new Error('a revoked nothing')
    await coordinator.commit(
      group,
      { kind: 'member', memberId: 'a', memberEpoch: first.memberEpoch },
      [offset(given.partition, 6)],
    )
    const moved = await coordinator.heartbeat({
      groupId: group,
      memberId: 'a',
      memberEpoch: revoking.memberEpoch,
      owned: revoking.partitions,
    })
    expect(moved.memberEpoch).toBeGreaterThan(first.memberEpoch)
    const before = await coordinator.committed(group)

    const commit = (memberId: string, memberEpoch: number, partition: number) =>
      coordinator.commit(group, { kind: 'member', memberId, memberEpoch }, [offset(partition, 1)])
    await expect(
      commit('a', first.memberEpoch, revoking.partitions[0]?.partition ?? 0),
    ).rejects.toThrow(StaleMemberEpochError)
    await expect(commit('a', moved.memberEpoch, given.partition)).rejects.toThrow(/does not hold/)
    await expect(commit('nobody', moved.memberEpoch, 0)).rejects.toThrow(UnknownMemberIdError)
    await expect(coordinator.commit(group, { kind: 'none' }, [offset(0, 0)])).rejects.toThrow(
      UnknownMemberIdError,
    )
    expect(await coordinator.committed(group)).toEqual(before)

    await expect(
      coordinator.heartbeat({ groupId: group, memberId: 'a', memberEpoch: 99, owned: [] }),
    ).rejects.toThrow(FencedMemberEpochError)
    // The epoch before the last is taken once more from a member that missed an answer.
    const missed = await coordinator.heartbeat({
      groupId: group,
      memberId: 'a',
      memberEpoch: revoking.memberEpoch,
      owned: revoking.partitions,
    })
    expect(missed.memberEpoch).toBe(moved.memberEpoch)
  })
})

describe('idle instances', () => {
  it('are gone at their next call once consumer.instance.timeout.ms has passed, and leave their group', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    const group = uniqueGroup()
    const consumer = await Consumer.create(h, group)
    await consumer.subscribe([topic])
    expect((await h.groups.admin.describe(group)).members).toHaveLength(1)
    await sleep(SESSION_MS + 100)
    const late = await consumer.records()
    expect(late.status).toBe(404)
    expect(late.body.error_code).toBe(40403)
    expect((await h.groups.admin.describe(group)).members).toEqual([])
    expect(await sweepGroups(h)).toEqual({
      instancesExpired: 0,
      membersExpired: 0,
    })
  })
})

describe('the sweep', () => {
  it('expires members and idle instances in groups nobody touches', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    const quiet = uniqueGroup('quiet')
    await coordinator.join({
      groupId: quiet,
      memberId: 'silent',
      subscription: subscription(topic),
      clientId: 'silent',
    })
    const idleGroup = uniqueGroup('idle')
    const idle = await Consumer.create(h, idleGroup)
    await idle.subscribe([topic])
    await sleep(SESSION_MS + 100)

    const result = await sweepGroups(h)
    expect(result.instancesExpired).toBe(1)
    expect(result.membersExpired).toBe(1)
    for (const group of [quiet, idleGroup]) {
      expect((await h.groups.admin.describe(group)).state).toBe('EMPTY')
    }
    expect((await idle.records()).status).toBe(404)
    expect(await sweepGroups(h)).toEqual({
      instancesExpired: 0,
      membersExpired: 0,
    })
  })
})
