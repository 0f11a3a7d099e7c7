import { describe, expect, it } from 'vitest'
import { murmur2 } from '../../../lib/common/murmur2.ts'
import { partitionForKey, toPositive } from '../../../lib/common/partitioner.ts'
import { MURMUR2_VECTORS } from '../../support/murmur2-vectors.ts'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('murmur2', () => {
  it.each(MURMUR2_VECTORS)('hashes %j to %i', (key, expected) => {
    expect(murmur2(bytes(key))).toBe(expected)
  })

  it('hashes a Buffer and a plain Uint8Array alike', () => {
    expect(murmur2(Buffer.from('foobar'))).toBe(murmur2(bytes('foobar')))
  })
})

describe('toPositive', () => {
  it('clears only the sign bit', () => {
    expect(toPositive(-973932308)).toBe(1173551340)
    expect(toPositive(479470107)).toBe(479470107)
    expect(toPositive(-2147483648)).toBe(0)
    expect(toPositive(-1)).toBe(0x7fffffff)
  })
})

describe('partitionForKey', () => {
  // (v & 0x7fffffff) % n, worked out from the signed vectors above
  const EXPECTED: [string, number, number, number][] = [
    ['21', 0, 0, 0],
    ['foobar', 0, 0, 6],
    ['a-little-bit-long-string', 2, 2, 8],
    ['a-little-bit-longer-string', 2, 5, 11],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', 2, 5, 5],
    ['abc', 0, 3, 3],
  ]

  it.each(EXPECTED)('places %j on %i of 3, %i of 6, %i of 12', (key, p3, p6, p12) => {
    expect(partitionForKey(bytes(key), 3)).toBe(p3)
    expect(partitionForKey(bytes(key), 6)).toBe(p6)
    expect(partitionForKey(bytes(key), 12)).toBe(p12)
  })

  it('rejects a partition count that is not a positive integer', () => {
    expect(() => partitionForKey(bytes('a'), 0)).toThrow(RangeError)
    expect(() => partitionForKey(bytes('a'), 1.5)).toThrow(RangeError)
  })
})
