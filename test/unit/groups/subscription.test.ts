import { describe, expect, it } from 'vitest'
import { BadRequestError, InvalidTopicError, OffsetOutOfRangeError } from '../../../lib/errors.ts'
import { NoOffsetForPartitionError } from '../../../lib/groups/errors.ts'
import { resetStart } from '../../../lib/groups/offset-reset.ts'
import {
  checkedSubscription,
  matchTopics,
  sameSubscription,
} from '../../../lib/groups/subscription.ts'

describe('subscriptions', () => {
  it('match named topics that exist, and whole names against a pattern', () => {
    const existing = ['orders', 'orders-eu', 'payments', 'xorders']
    expect(matchTopics({ kind: 'topics', topics: ['payments', 'gone'] }, existing)).toEqual([
      'payments',
    ])
    expect(matchTopics({ kind: 'pattern', pattern: 'orders.*' }, existing)).toEqual([
      'orders',
      'orders-eu',
    ])
  })

  it('are stored sorted without repeats, and compared in that form', () => {
    const a = checkedSubscription({ kind: 'topics', topics: ['b', 'a', 'b'] })
    expect(a).toEqual({ kind: 'topics', topics: ['a', 'b'] })
    expect(sameSubscription(a, checkedSubscription({ kind: 'topics', topics: ['a', 'b'] }))).toBe(
      true,
    )
    expect(sameSubscription(a, { kind: 'pattern', pattern: 'a|b' })).toBe(false)
  })

  it('refuse no topics, bad topic names and patterns that do not compile', () => {
    expect(() => checkedSubscription({ kind: 'topics', topics: [] })).toThrow(BadRequestError)
    expect(() => checkedSubscription({ kind: 'topics', topics: ['bad/name'] })).toThrow(
      InvalidTopicError,
    )
    expect(() => checkedSubscription({ kind: 'pattern', pattern: 'orders(' })).toThrow(
      /Invalid topic_pattern 'orders\('/,
    )
  })

  it('run patterns in linear time, so a hostile one cannot stall a heartbeat', () => {
    const started = performance.now()
    expect(matchTopics({ kind: 'pattern', pattern: '(a+)+$' }, [`${'a'.repeat(240)}!`])).toEqual([])
    expect(performance.now() - started).toBeLessThan(500)
  })
})

describe('auto.offset.reset', () => {
  it('starts at the log start or end, or refuses with the reason for none', () => {
    expect(resetStart('earliest', 't/0')).toEqual({ kind: 'earliest' })
    expect(resetStart('latest', 't/0')).toEqual({ kind: 'latest' })
    expect(resetStart('none', 't/0')).toBeInstanceOf(NoOffsetForPartitionError)
    const outOfRange = new OffsetOutOfRangeError(3, 5, 9)
    expect(resetStart('none', 't/0', outOfRange)).toBe(outOfRange)
  })
})
