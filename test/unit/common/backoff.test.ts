import { describe, expect, it } from 'vitest'
import { backoffDelay } from '../../../lib/common/backoff.ts'

describe('backoffDelay', () => {
  const policy = { baseMs: 10, capMs: 100 }

  it('grows the ceiling exponentially up to the cap', () => {
    const ceiling = (attempt: number) => backoffDelay(attempt, policy, () => 0.999999)
    expect([0, 1, 2, 3, 4, 10].map(ceiling)).toEqual([9, 19, 39, 79, 99, 99])
  })

  it('draws anywhere from zero (full jitter)', () => {
    expect(backoffDelay(5, policy, () => 0)).toBe(0)
    expect(backoffDelay(5, policy, () => 0.5)).toBe(50)
  })
})
