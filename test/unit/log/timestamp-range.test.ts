import { describe, expect, it } from 'vitest'
import { timestampRange } from '../../../lib/log/timestamp-range.ts'

describe('timestampRange', () => {
  it('finds the extremes wherever they are', () => {
    expect(timestampRange([5, 1, 9, 3])).toEqual({ minTimestamp: 1, maxTimestamp: 9 })
    expect(timestampRange([-1])).toEqual({ minTimestamp: -1, maxTimestamp: -1 })
  })

  it('takes more timestamps than a call takes arguments', () => {
    const many = Array.from({ length: 500_000 }, (_, i) => 1_000_000 - i)
    expect(timestampRange(many)).toEqual({ minTimestamp: 500_001, maxTimestamp: 1_000_000 })
  })
})
