import { describe, expect, it } from 'vitest'
import {
  ByteReader,
  ByteWriter,
  MalformedIntegerError,
  TruncatedInputError,
  varintSize,
  varlongSize,
} from '../../../lib/log/varint.ts'

function encodeVarint(n: number): Buffer {
  const writer = new ByteWriter(varintSize(n))
  writer.varint(n)
  return writer.finish()
}

function encodeVarlong(n: number): Buffer {
  const writer = new ByteWriter(varlongSize(n))
  writer.varlong(n)
  return writer.finish()
}

describe('varint', () => {
  it.each([
    [0, [0x00]],
    [-1, [0x01]],
    [1, [0x02]],
    [63, [0x7e]],
    [-64, [0x7f]],
    [64, [0x80, 0x01]],
    [-65, [0x81, 0x01]],
    [300, [0xd8, 0x04]],
    [2 ** 31 - 1, [0xfe, 0xff, 0xff, 0xff, 0x0f]],
    [-(2 ** 31), [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ])('encodes %i as zigzag LEB128 and reads it back', (n, expected) => {
    const encoded = encodeVarint(n)
    expect([...encoded]).toEqual(expected)
    const reader = new ByteReader(encoded)
    expect(reader.varint()).toBe(n)
    expect(reader.remaining).toBe(0)
  })

  it('rejects values outside int32', () => {
    expect(() => varintSize(2 ** 31)).toThrow(RangeError)
    expect(() => new ByteWriter(8).varint(-(2 ** 31) - 1)).toThrow(RangeError)
    expect(() => new ByteWriter(8).varint(1.5)).toThrow(RangeError)
  })

  it('throws TruncatedInputError when the input ends mid-varint', () => {
    expect(() => new ByteReader(Uint8Array.of(0x80, 0x80)).varint()).toThrow(TruncatedInputError)
    expect(() => new ByteReader(new Uint8Array(0)).varint()).toThrow(TruncatedInputError)
  })

  it('throws MalformedIntegerError for a varint longer than 5 bytes', () => {
    const sixBytes = Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x00)
    expect(() => new ByteReader(sixBytes).varint()).toThrow(MalformedIntegerError)
  })
})

describe('varlong', () => {
  it.each([
    0,
    -1,
    63,
    64,
    -64,
    -65,
    2 ** 28 - 1,
    2 ** 28,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31),
    -(2 ** 31) - 1,
    1_700_000_000_000,
    -1_700_000_000_000,
    8_640_000_000_000_000, // latest Date
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
  ])('round-trips %i', (n) => {
    const encoded = encodeVarlong(n)
    const reader = new ByteReader(encoded)
    expect(reader.varlong()).toBe(n)
    expect(reader.remaining).toBe(0)
  })

  it('encodes like Kafka at the byte level', () => {
    expect([...encodeVarlong(-65)]).toEqual([0x81, 0x01])
    // zigzag(2^31) = 2^32: five bytes, the last holding bit 32
    expect([...encodeVarlong(2 ** 31)]).toEqual([0x80, 0x80, 0x80, 0x80, 0x10])
    // zigzag(MIN_SAFE_INTEGER) = 2^54 - 3
    expect([...encodeVarlong(Number.MIN_SAFE_INTEGER)]).toEqual([
      0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f,
    ])
  })

  it('reads values written as a varint too', () => {
    expect(new ByteReader(encodeVarint(-65)).varlong()).toBe(-65)
  })

  it('reports sizes at the 7-bit group boundaries', () => {
    expect(varlongSize(63)).toBe(1)
    expect(varlongSize(64)).toBe(2)
    expect(varlongSize(-64)).toBe(1)
    expect(varlongSize(-65)).toBe(2)
    expect(varlongSize(2 ** 48 - 1)).toBe(7) // zigzag 2^49 - 2
    expect(varlongSize(2 ** 48)).toBe(8)
    expect(varlongSize(Number.MAX_SAFE_INTEGER)).toBe(8)
  })

  it('rejects unsafe integers when writing', () => {
    expect(() => varlongSize(2 ** 53)).toThrow(RangeError)
    expect(() => new ByteWriter(10).varlong(2 ** 53)).toThrow(RangeError)
  })

  it('throws MalformedIntegerError for a value beyond the safe integer range', () => {
    // zigzag(2^53) = 2^54
    const bytes = Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40)
    expect(() => new ByteReader(bytes).varlong()).toThrow(MalformedIntegerError)
  })

  it('throws MalformedIntegerError for a varlong longer than 10 bytes', () => {
    const bytes = new Uint8Array(11).fill(0x80)
    bytes[10] = 0
    expect(() => new ByteReader(bytes).varlong()).toThrow(MalformedIntegerError)
  })

  it('throws TruncatedInputError when a long varlong is cut short', () => {
    const truncated = encodeVarlong(1_700_000_000_000).subarray(0, 5)
    expect(() => new ByteReader(truncated).varlong()).toThrow(TruncatedInputError)
  })
})

describe('ByteReader', () => {
  it('reads big-endian fixed-width integers at an offset within a larger buffer', () => {
    const backing = Buffer.alloc(20)
    backing.writeInt32BE(-2, 4)
    backing.writeBigInt64BE(1_700_000_000_000n, 8)
    const reader = new ByteReader(backing.subarray(4))
    expect(reader.int32()).toBe(-2)
    expect(reader.int64()).toBe(1_700_000_000_000)
    expect(reader.remaining).toBe(4)
  })

  it('throws TruncatedInputError rather than reading past its end', () => {
    const reader = new ByteReader(new Uint8Array(10), 0, 6)
    expect(() => reader.int64()).toThrow(TruncatedInputError)
    expect(() => reader.bytes(7)).toThrow(/needed 7 bytes at position 0, only 6 left/)
  })

  it('refuses an int64 beyond the safe integer range', () => {
    const bytes = Buffer.alloc(8)
    bytes.writeBigInt64BE(2n ** 60n)
    expect(() => new ByteReader(bytes).int64()).toThrow(MalformedIntegerError)
  })
})

describe('ByteWriter', () => {
  it('refuses to finish a buffer it did not fill', () => {
    const writer = new ByteWriter(4)
    writer.int16(1)
    expect(() => writer.finish()).toThrow(/wrote 2 bytes into a buffer of 4/)
  })

  it('refuses to write a varint past its end', () => {
    expect(() => new ByteWriter(1).varint(64)).toThrow(RangeError)
  })
})
