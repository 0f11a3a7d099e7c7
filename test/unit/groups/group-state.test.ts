import { describe, expect, it } from 'vitest'
import type { TopicSnapshot } from '../../../lib/groups/group-records.ts'
import { heldBy } from '../../../lib/groups/group-records.ts'
import { GroupState } from '../../../lib/groups/group-state.ts'
import type { GroupWrite, LoadedGroup } from '../../../lib/storage/ports/groups.ts'

const TOPICS = new Map<string, TopicSnapshot>([['t', { topicId: 'id-t', partitions: 6 }]])
const SESSION = 10_000

/** Applies a write the way the conditional writes would, checking their conditions. */
function applyWrite(loaded: LoadedGroup, write: GroupWrite | undefined): LoadedGroup {
  if (!write) return loaded
  if (write.group) expect(write.group.expectedVersion).toBe(loaded.group?.version)
  const members = new Map(loaded.members.map((member) => [member.memberId, member]))
  for (const { record, expectedRevision } of write.putMembers) {
    expect(expectedRevision).toBe(members.get(record.memberId)?.revision)
    members.set(record.memberId, record)
  }
  for (const { memberId, expectedRevision } of write.deleteMembers) {
    expect(members.get(memberId)?.revision).toBe(expectedRevision)
    members.delete(memberId)
  }
  const group = write.group?.record ?? loaded.group
  return { ...(group && { group }), members: [...members.values()] }
}

/** A tiny coordinator over memory: each call is one step, as GroupCoordinator runs them. */
class Simulation {
  loaded: LoadedGroup = { members: [] }
  now = 1_000_000
  /** What each member was last told it may hold, as its client would remember. */
  readonly held = new Map<string, string[]>()

  private run(body: (state: GroupState) => void): GroupState {
    const state = new GroupState('g', this.loaded, {
      now: this.now,
      heartbeatIntervalMs: 3000,
      metadataMaxAgeMs: 5000,
    })
    body(state)
    if (state.needsMetadata()) state.applyMetadata(TOPICS)
    state.updateTarget()
    return state
  }

  private finish(state: GroupState, memberId?: string): void {
    if (memberId) {
      state.reconcile(memberId, this.held.get(memberId) ?? [])
      const member = state.member(memberId)
      if (member) this.held.set(memberId, [...member.assigned])
    }
    this.loaded = applyWrite(this.loaded, state.write())
    this.expectNoPartitionHeldTwice()
  }

  join(memberId: string): void {
    const state = this.run((s) => {
      s.expireMembers()
      s.join({
        memberId,
        subscription: { kind: 'topics', topics: ['t'] },
        sessionTimeoutMs: SESSION,
        clientId: memberId,
      })
    })
    this.held.set(memberId, [])
    this.finish(state, memberId)
  }

  heartbeat(memberId: string): void {
    const state = this.run((s) => {
      s.expireMembers()
      s.touch(memberId)
    })
    this.finish(state, memberId)
  }

  leave(memberId: string): void {
    this.finish(this.run((s) => s.leave(memberId)))
    this.held.delete(memberId)
  }

  expectNoPartitionHeldTwice(): void {
    const all = this.loaded.members.flatMap(heldBy)
    expect(new Set(all).size).toBe(all.length)
  }

  assigned(): Record<string, string[]> {
    return Object.fromEntries(this.loaded.members.map((m) => [m.memberId, [...m.assigned]]))
  }

  stable(): boolean {
    const group = this.loaded.group
    return this.loaded.members.every(
      (m) =>
        m.revoking.length === 0 &&
        m.epoch === group?.assignmentEpoch &&
        JSON.stringify(m.assigned) === JSON.stringify(group.target[m.memberId]),
    )
  }
}

describe('GroupState', () => {
  it('gives three members disjoint, complete shares of six partitions', () => {
    const sim = new Simulation()
    for (const id of ['a', 'b', 'c']) sim.join(id)
    for (let round = 0; round < 3 && !sim.stable(); round++) {
      for (const id of ['a', 'b', 'c']) sim.heartbeat(id)
    }
    expect(sim.stable()).toBe(true)
    const shares = Object.values(sim.assigned())
    expect(shares.map((share) => share.length)).toEqual([2, 2, 2])
    expect(shares.flat().sort()).toEqual(['t/0', 't/1', 't/2', 't/3', 't/4', 't/5'])
  })

  it('moves a partition only after its owner gave it up, and converges in a few rounds', () => {
    const sim = new Simulation()
    for (const id of ['a', 'b', 'c']) sim.join(id)
    for (let round = 0; round < 3; round++) for (const id of ['a', 'b', 'c']) sim.heartbeat(id)
    sim.join('d')
    sim.leave('a')
    let rounds = 0
    while (!sim.stable()) {
      rounds++
      for (const id of ['b', 'c', 'd']) sim.heartbeat(id)
    }
    expect(rounds).toBeLessThanOrEqual(3)
    expect(
      Object.values(sim.assigned())
        .map((share) => share.length)
        .sort(),
    ).toEqual([2, 2, 2])
  })

  it('bumps the group epoch once per step, and only for membership or topic changes', () => {
    const sim = new Simulation()
    sim.join('a')
    const epoch = sim.loaded.group?.groupEpoch
    sim.heartbeat('a')
    expect(sim.loaded.group?.groupEpoch).toBe(epoch)
    sim.join('b')
    expect(sim.loaded.group?.groupEpoch).toBe((epoch ?? 0) + 1)
  })

  it('writes nothing for a stable member within a heartbeat interval, and its deadline after', () => {
    const sim = new Simulation()
    sim.join('a')
    sim.heartbeat('a')
    const before = sim.loaded
    sim.now += 1000
    sim.heartbeat('a')
    expect(sim.loaded).toBe(before)
    sim.now += 2000
    sim.heartbeat('a')
    expect(sim.loaded.members[0]?.sessionDeadline).toBe(sim.now + SESSION)
    expect(sim.loaded.group).toBe(before.group)
  })

  it('expires a silent member and gives its partitions to the others', () => {
    const sim = new Simulation()
    sim.join('a')
    sim.join('b')
    for (let round = 0; round < 3; round++) for (const id of ['a', 'b']) sim.heartbeat(id)
    sim.now += SESSION / 2
    sim.heartbeat('b')
    sim.now += SESSION / 2 + 1
    sim.heartbeat('b')
    expect(sim.loaded.members.map((m) => m.memberId)).toEqual(['b'])
    sim.heartbeat('b')
    expect(sim.assigned().b).toHaveLength(6)
  })

  it('writes the group item, conditioned on its version, whenever a member gains partitions', () => {
    const loaded: LoadedGroup = { members: [] }
    const state = new GroupState('g', loaded, {
      now: 0,
      heartbeatIntervalMs: 3000,
      metadataMaxAgeMs: 5000,
    })
    state.join({
      memberId: 'a',
      subscription: { kind: 'topics', topics: ['t'] },
      sessionTimeoutMs: SESSION,
      clientId: 'a',
    })
    state.applyMetadata(TOPICS)
    state.updateTarget()
    state.reconcile('a', [])
    const write = state.write()
    expect(write?.group?.record.version).toBe(1)
    expect(write?.group?.expectedVersion).toBeUndefined()
    expect(write?.putMembers.map((put) => put.record.assigned)).toEqual([
      ['t/0', 't/1', 't/2', 't/3', 't/4', 't/5'],
    ])
  })
})
