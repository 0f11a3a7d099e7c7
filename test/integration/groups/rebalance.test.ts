import { beforeAll, describe, expect, it } from 'vitest'
import { createTopic, type Harness, uniqueTopic } from '../http/support.ts'
import {
  Consumer,
  createGroupsHarness,
  expectExclusiveOwnership,
  groupState,
  uniqueGroup,
} from './support.ts'

let h: Harness

beforeAll(async () => {
  h = await createGroupsHarness()
})

const ALL_SIX = (topic: string) => [0, 1, 2, 3, 4, 5].map((p) => `${topic}/${p}`)

/**
 * Records calls (heartbeats) round after round, checking ownership after every
 * call, until the group is stable; returns the number of rounds it took.
 */
async function roundsUntilStable(
  group: string,
  consumers: readonly Consumer[],
  { concurrent = false, limit = 8 } = {},
): Promise<number> {
  for (let round = 1; round <= limit; round++) {
    if (concurrent) {
      await Promise.all(consumers.map((consumer) => consumer.poll()))
      await expectExclusiveOwnership(h, group, consumers)
    } else {
      for (const consumer of consumers) {
        await consumer.poll()
        await expectExclusiveOwnership(h, group, consumers)
      }
    }
    if ((await groupState(h, group)) === 'STABLE') return round
  }
  throw new Error(`Group ${group} was not stable after ${limit} rounds`)
}

describe('a group of v2 consumer instances over a 6-partition topic', () => {
  it('shares the partitions disjointly and completely, and rebalances without overlap', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 6)
    const group = uniqueGroup()
    const config = { format: 'json', 'auto.offset.reset': 'earliest' }
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => Consumer.create(h, group, config)))
    if (!a || !b || !c) throw new Error('three consumers expected')
    for (const consumer of [a, b, c]) {
      await consumer.subscribe([topic])
      await expectExclusiveOwnership(h, group, [a, b, c])
    }

    expect(await roundsUntilStable(group, [a, b, c])).toBeLessThanOrEqual(3)
    let views = await expectExclusiveOwnership(h, group, [a, b, c])
    expect([...views.values()].map((held) => held.length)).toEqual([2, 2, 2])
    expect([...views.values()].flat().sort()).toEqual(ALL_SIX(topic))

    const d = await Consumer.create(h, group, config)
    await d.subscribe([topic])
    await expectExclusiveOwnership(h, group, [a, b, c, d])
    // Its target partitions are still held: it gets them only after their owners give them up.
    expect(await d.assignment()).toEqual([])
    expect(await groupState(h, group)).toBe('RECONCILING')
    expect(await roundsUntilStable(group, [a, b, c, d])).toBeLessThanOrEqual(3)
    views = await expectExclusiveOwnership(h, group, [a, b, c, d])
    expect([...views.values()].map((held) => held.length).sort()).toEqual([1, 1, 2, 2])
    expect([...views.values()].flat().sort()).toEqual(ALL_SIX(topic))

    await a.delete()
    await expectExclusiveOwnership(h, group, [b, c, d])
    expect(await roundsUntilStable(group, [b, c, d], { concurrent: true })).toBeLessThanOrEqual(3)
    views = await expectExclusiveOwnership(h, group, [b, c, d])
    expect([...views.values()].map((held) => held.length)).toEqual([2, 2, 2])
    expect([...views.values()].flat().sort()).toEqual(ALL_SIX(topic))

    const members = await h.get(`/v3/clusters/local/consumer-groups/${group}/consumers`)
    expect(members.body.data.map((m: { client_id: string }) => m.client_id).sort()).toEqual(
      [b.name, c.name, d.name].sort(),
    )
  })

  it('keeps ownership exclusive when every member heartbeats at once through a rebalance', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 6)
    const group = uniqueGroup()
    const consumers = await Promise.all(
      [0, 1, 2, 3].map(() => Consumer.create(h, group, { 'auto.offset.reset': 'earliest' })),
    )
    await Promise.all(consumers.map((consumer) => consumer.subscribe([topic])))
    await expectExclusiveOwnership(h, group, consumers)
    expect(await roundsUntilStable(group, consumers, { concurrent: true })).toBeLessThanOrEqual(4)
    const views = await expectExclusiveOwnership(h, group, consumers)
    expect([...views.values()].flat().sort()).toEqual(ALL_SIX(topic))
  })
})
