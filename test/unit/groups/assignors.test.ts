import { describe, expect, it } from 'vitest'
import type { Assignment, AssignmentSpec } from '../../../lib/groups/assignors/assignor.ts'
import { chooseAssignor } from '../../../lib/groups/assignors/assignors.ts'
import { rangeAssignor } from '../../../lib/groups/assignors/range-assignor.ts'
import { roundRobinAssignor } from '../../../lib/groups/assignors/round-robin-assignor.ts'
import { stickyAssignor } from '../../../lib/groups/assignors/sticky-assignor.ts'
import {
  parsePartitionKey,
  partitionKeyOf,
  type TopicPartition,
} from '../../../lib/groups/topic-partitions.ts'

function spec(
  members: Record<string, string[]>,
  counts: Record<string, number>,
  current: Record<string, string[]> = {},
): AssignmentSpec {
  return {
    members: Object.entries(members).map(([memberId, topics]) => ({ memberId, topics })),
    partitionCounts: new Map(Object.entries(counts)),
    current: new Map(
      Object.entries(current).map(([memberId, keys]) => [memberId, keys.map(parsePartitionKey)]),
    ),
  }
}

function keys(assignment: Assignment): Record<string, string[]> {
  return Object.fromEntries(
    [...assignment].map(([memberId, partitions]) => [memberId, partitions.map(partitionKeyOf)]),
  )
}

/** Every partition of the spec exactly once, each to a member subscribed to its topic. */
function expectComplete(input: AssignmentSpec, assignment: Assignment): void {
  const seen: TopicPartition[] = []
  for (const member of input.members) {
    for (const tp of assignment.get(member.memberId) ?? []) {
      expect(member.topics).toContain(tp.topic)
      seen.push(tp)
    }
  }
  const expected = [...input.partitionCounts].flatMap(([topic, count]) =>
    Array.from({ length: count }, (_, partition) => partitionKeyOf({ topic, partition })),
  )
  expect(seen.map(partitionKeyOf).sort()).toEqual(expected.sort())
}

describe('range', () => {
  it('gives contiguous slices per topic, the first members one extra', () => {
    const input = spec({ b: ['t'], a: ['t'], c: ['t'] }, { t: 7 })
    expect(keys(rangeAssignor(input))).toEqual({
      a: ['t/0', 't/1', 't/2'],
      b: ['t/3', 't/4'],
      c: ['t/5', 't/6'],
    })
  })

  it('splits each topic among its own subscribers only', () => {
    const input = spec({ a: ['x', 'y'], b: ['y'] }, { x: 2, y: 2 })
    const result = rangeAssignor(input)
    expect(keys(result)).toEqual({ a: ['x/0', 'x/1', 'y/0'], b: ['y/1'] })
    expectComplete(input, result)
  })
})

describe('roundrobin', () => {
  it('deals all partitions in topic and partition order', () => {
    const input = spec({ a: ['x', 'y'], b: ['x', 'y'] }, { x: 3, y: 2 })
    expect(keys(roundRobinAssignor(input))).toEqual({
      a: ['x/0', 'x/2', 'y/1'],
      b: ['x/1', 'y/0'],
    })
  })

  it('skips members not subscribed to a partition’s topic', () => {
    const input = spec({ a: ['x'], b: ['x', 'y'], c: ['y'] }, { x: 2, y: 3 })
    const result = roundRobinAssignor(input)
    expectComplete(input, result)
    expect(keys(result)).toEqual({ a: ['x/0'], b: ['x/1', 'y/1'], c: ['y/0', 'y/2'] })
  })
})

describe('cooperative-sticky', () => {
  it('balances a fresh group to within one partition', () => {
    const input = spec({ a: ['t'], b: ['t'], c: ['t'] }, { t: 7 })
    const result = stickyAssignor(input)
    expectComplete(input, result)
    const sizes = [...result.values()].map((list) => list.length).sort()
    expect(sizes).toEqual([2, 2, 3])
  })

  it('keeps every partition in place when a member joins, except the fewest needed to balance', () => {
    const before = { a: ['t/0', 't/1', 't/2'], b: ['t/3', 't/4', 't/5'] }
    const input = spec({ a: ['t'], b: ['t'], c: ['t'] }, { t: 6 }, before)
    const result = keys(stickyAssignor(input))
    expect(result.c).toHaveLength(2)
    const moved = Object.entries(before).flatMap(([member, held]) =>
      held.filter((key) => !result[member]?.includes(key)),
    )
    expect(moved.sort()).toEqual([...(result.c ?? [])].sort())
    expect(result.a).toHaveLength(2)
    expect(result.b).toHaveLength(2)
  })

  it('hands a departed member’s partitions to the others and moves nothing else', () => {
    const before = { a: ['t/0', 't/1'], b: ['t/2', 't/3'], c: ['t/4', 't/5'] }
    const input = spec({ a: ['t'], b: ['t'] }, { t: 6 }, before)
    const result = keys(stickyAssignor(input))
    expect(result.a).toEqual(expect.arrayContaining(['t/0', 't/1']))
    expect(result.b).toEqual(expect.arrayContaining(['t/2', 't/3']))
    expect(result.a).toHaveLength(3)
    expect(result.b).toHaveLength(3)
  })

  it('drops partitions that no longer exist or that the member stopped subscribing to', () => {
    const before = { a: ['x/0', 'x/5', 'y/0'], b: [] }
    const input = spec({ a: ['x'], b: ['x', 'y'] }, { x: 2, y: 1 }, before)
    const result = stickyAssignor(input)
    expectComplete(input, result)
    expect(keys(result).a).toContain('x/0')
    expect(keys(result).b).toContain('y/0')
  })

  it('balances unequal subscriptions as far as subscriptions allow', () => {
    const input = spec({ a: ['x'], b: ['x', 'y'], c: ['y'] }, { x: 4, y: 4 })
    const result = stickyAssignor(input)
    expectComplete(input, result)
    const sizes = [...result.values()].map((list) => list.length)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBe(1)
  })

  it('gives every member an entry, even with nothing to assign', () => {
    expect(keys(stickyAssignor(spec({ a: ['t'], b: ['missing'] }, { t: 1 })))).toEqual({
      a: ['t/0'],
      b: [],
    })
  })
})

describe('chooseAssignor', () => {
  it('uses the assignor most members prefer, cooperative-sticky by default', () => {
    expect(chooseAssignor([])).toBe('cooperative-sticky')
    expect(chooseAssignor([undefined, 'range', 'range', 'roundrobin'])).toBe('range')
    expect(chooseAssignor(['roundrobin', 'range'])).toBe('range')
  })
})
