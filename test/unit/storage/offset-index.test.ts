import { describe, expect, it } from 'vitest'
import { decodeRecordBatches, encodeRecordBatch } from '../../../lib/log/record-batch.ts'
import { buildOffsetIndex, chunkFor, decodeOffsetIndex } from '../../../lib/storage/offset-index.ts'

const T0 = 1_700_000_000_000

/** A segment at offset 1000: ten batches of 4 records of 100-byte values, the 6th compacted to 2 records. */
function segment(): { bytes: Buffer; batchStarts: number[] } {
  const batches: Buffer[] = []
  const batchStarts: number[] = []
  let position = 0
  for (let b = 0; b < 10; b++) {
    const count = b === 5 ? 2 : 4
    const records = Array.from({ length: count }, (_, i) => ({
      key: null,
      value: Buffer.alloc(100, b * 10 + i),
      headers: [],
      timestamp: T0,
    }))
    // Compaction keeps a batch's span: the 6th batch holds offsets 1020 and 1023 only.
    const placement =
      b === 5
        ? { baseOffset: 1020, lastOffsetDelta: 3, offsetDeltas: [0, 3] }
        : { baseOffset: 1000 + b * 4, lastOffsetDelta: 3, offsetDeltas: [0, 1, 2, 3] }
    const batch = encodeRecordBatch(records, { timestampType: 'CreateTime', placement })
    batchStarts.push(position)
    position += batch.length
    batches.push(batch)
  }
  return { bytes: Buffer.concat(batches), batchStarts }
}

describe('the sparse offset index', () => {
  const { bytes, batchStarts } = segment()
  const batchSize = batchStarts[1] as number
  // A point at most every two batches.
  const encoded = buildOffsetIndex(bytes, 1000, 2 * batchSize)
  const points = decodeOffsetIndex(encoded)

  it('points at batch starts at least a stride apart, counting records stored before each', () => {
    expect(points).toEqual([
      { offsetDelta: 8, recordPosition: 8, bytePosition: batchStarts[2] },
      { offsetDelta: 16, recordPosition: 16, bytePosition: batchStarts[4] },
      // The 6th batch is short, so the next point is a batch later.
      { offsetDelta: 28, recordPosition: 26, bytePosition: batchStarts[7] },
      { offsetDelta: 36, recordPosition: 34, bytePosition: batchStarts[9] },
    ])
    expect(buildOffsetIndex(bytes, 1000, bytes.length)).toBe('')
  })

  it('picks a chunk holding the wanted offset and about as much after it as is wanted', () => {
    const chunk = chunkFor(points, bytes.length, 18, { records: 5, bytes: 1 << 20 })
    expect(chunk).toEqual({
      from: points[1],
      endByte: batchStarts[7],
      endOffsetDelta: 28,
    })
    const records = decodeRecordBatches(bytes.subarray(chunk.from.bytePosition, chunk.endByte))
    expect(records.map((r) => r.offset)).toEqual([
      1016, 1017, 1018, 1019, 1020, 1023, 1024, 1025, 1026, 1027,
    ])
  })

  it('runs a chunk to the entry end when nothing past the offset covers what is wanted', () => {
    expect(chunkFor(points, bytes.length, 30, { records: 100, bytes: 1 << 20 })).toEqual({
      from: points[2],
      endByte: bytes.length,
      endOffsetDelta: undefined,
    })
    expect(chunkFor([], bytes.length, 30, { records: 1, bytes: 1 })).toEqual({
      from: { offsetDelta: 0, recordPosition: 0, bytePosition: 0 },
      endByte: bytes.length,
      endOffsetDelta: undefined,
    })
  })

  it('ends a chunk by bytes as well as by offsets, never before the batch past the offset', () => {
    const chunk = chunkFor(points, bytes.length, 8, { records: 1000, bytes: 1 })
    expect(chunk).toEqual({ from: points[0], endByte: batchStarts[4], endOffsetDelta: 16 })
  })

  it('refuses a malformed point', () => {
    expect(() => decodeOffsetIndex('8.8.x')).toThrow(RangeError)
  })
})
