import { describe, expect, it } from 'vitest'
import { crc32c } from '../../../lib/log/crc32c.ts'

describe('crc32c', () => {
  it('matches the CRC-32C check value for "123456789"', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283)
  })

  it('returns an unsigned value', () => {
    // The check value has its top bit set, so a signed result would be negative.
    expect(crc32c(Buffer.from('123456789'))).toBeGreaterThan(0)
    expect(crc32c(new Uint8Array(0))).toBe(0)
  })
})
