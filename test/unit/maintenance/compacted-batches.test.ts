import { describe, expect, it } from 'vitest'
import type { RecordFormats } from '../../../lib/broker/payload-formats.ts'
import type { TimestampType } from '../../../lib/log/record.ts'
import { decodeRecordBatches, readBatchHeader } from '../../../lib/log/record-batch.ts'
import { encodeCompactedSpan } from '../../../lib/maintenance/compacted-batches.ts'
import type { LoggedRecord, ProducerBatch } from '../../../lib/maintenance/segment-bytes.ts'
import { T0 } from './entries.ts'

const binary: RecordFormats = { key: 'BINARY', value: 'BINARY' }

function survivor(
  offset: number,
  timestampType: TimestampType = 'CreateTime',
  timestamp = T0 + offset,
) {
  const record: LoggedRecord = {
    offset,
    key: new TextEncoder().encode(`key-${offset}`),
    value: new TextEncoder().encode(`value-${offset}`),
    headers: [{ key: 'h', value: null }],
    timestamp,
    timestampType,
    formats: binary,
  }
  return record
}

/** A survivor of batch `batch` of an idempotent producer. */
function produced(offset: number, batch: ProducerBatch): LoggedRecord {
  return { ...survivor(offset), producerBatch: batch }
}

/** Every batch's header, walking the bytes. */
function headers(bytes: Buffer) {
  const result = []
  for (let position = 0; position < bytes.length; ) {
    const header = readBatchHeader(bytes, position)
    result.push(header)
    position += header.length + 12
  }
  return result
}

/** Every batch's [first, last] offsets. */
function spans(bytes: Buffer): [number, number][] {
  return headers(bytes).map((header) => [
    header.baseOffset,
    header.baseOffset + header.lastOffsetDelta,
  ])
}

const MAX = 1024 * 1024

describe('encodeCompactedSpan', () => {
  it('keeps every survivor at its offset, with its content and timestamp', () => {
    const survivors = [survivor(12), survivor(15), survivor(19)]
    const bytes = encodeCompactedSpan(
      { baseOffset: 10, lastOffset: 24, survivors, maxTimestamp: T0 + 24 },
      MAX,
    )
    const decoded = decodeRecordBatches(bytes)
    expect(decoded).toEqual(survivors.map(({ timestampType: _, formats: __, ...record }) => record))
    // One batch, from the span's first offset to its last: removed offsets sit inside it.
    expect(spans(bytes)).toEqual([[10, 24]])
  })

  it('splits batches where the timestamp type or a LogAppendTime changes, tiling the span', () => {
    const survivors = [
      survivor(3, 'LogAppendTime', T0),
      survivor(4, 'LogAppendTime', T0),
      survivor(6, 'LogAppendTime', T0 + 50),
      survivor(8, 'CreateTime'),
    ]
    const bytes = encodeCompactedSpan(
      { baseOffset: 0, lastOffset: 9, survivors, maxTimestamp: T0 + 50 },
      MAX,
    )
    expect(spans(bytes)).toEqual([
      [0, 4],
      [5, 6],
      [7, 9],
    ])
    expect(decodeRecordBatches(bytes).map((r) => [r.offset, r.timestamp])).toEqual([
      [3, T0],
      [4, T0],
      [6, T0 + 50],
      [8, T0 + 8],
    ])
  })

  it('caps batches at the size given', () => {
    const survivors = [survivor(0), survivor(1), survivor(2), survivor(3)]
    const bytes = encodeCompactedSpan(
      { baseOffset: 0, lastOffset: 3, survivors, maxTimestamp: T0 },
      61 + 60,
    )
    expect(spans(bytes).length).toBeGreaterThan(1)
    expect(decodeRecordBatches(bytes).map((r) => r.offset)).toEqual([0, 1, 2, 3])
  })

  it('writes one empty batch over the span when nothing survives', () => {
    const bytes = encodeCompactedSpan(
      { baseOffset: 30, lastOffset: 39, survivors: [], maxTimestamp: T0 + 7 },
      MAX,
    )
    expect(spans(bytes)).toEqual([[30, 39]])
    expect(readBatchHeader(bytes).maxTimestamp).toBe(T0 + 7)
    expect(decodeRecordBatches(bytes)).toEqual([])
  })

  it("keeps an idempotent producer's batch whole: its producer fields, base sequence and offsets", () => {
    const batch: ProducerBatch = {
      producerId: 7,
      producerEpoch: 2,
      baseSequence: 100,
      baseOffset: 10,
      lastOffset: 14,
    }
    const survivors = [produced(11, batch), produced(13, batch), survivor(16)]
    const bytes = encodeCompactedSpan(
      { baseOffset: 8, lastOffset: 19, survivors, maxTimestamp: T0 + 19 },
      MAX,
    )
    // Offsets 8 and 9 lie before a producer batch that may not stretch back: an empty batch covers them.
    expect(spans(bytes)).toEqual([
      [8, 9],
      [10, 14],
      [15, 19],
    ])
    const [empty, kept, plain] = headers(bytes)
    expect(empty).toMatchObject({ recordsCount: 0, producerId: -1, baseSequence: -1 })
    // Record 13 keeps sequence 103 (base sequence + offset delta), and the batch's last sequence stays 104.
    expect(kept).toMatchObject({
      producerId: 7,
      producerEpoch: 2,
      baseSequence: 100,
      lastOffsetDelta: 4,
      recordsCount: 2,
    })
    expect(plain).toMatchObject({ producerId: -1, producerEpoch: -1, baseSequence: -1 })
    expect(decodeRecordBatches(bytes).map((r) => r.offset)).toEqual([11, 13, 16])
  })

  it('never merges batches of producers, and stretches a plain batch up to one', () => {
    const first: ProducerBatch = {
      producerId: 1,
      producerEpoch: 0,
      baseSequence: 0,
      baseOffset: 4,
      lastOffset: 5,
    }
    const second: ProducerBatch = { ...first, producerId: 2, baseOffset: 8, lastOffset: 9 }
    const survivors = [survivor(0), produced(5, first), produced(9, second)]
    const bytes = encodeCompactedSpan(
      { baseOffset: 0, lastOffset: 12, survivors, maxTimestamp: T0 + 12 },
      MAX,
    )
    expect(spans(bytes)).toEqual([
      [0, 3],
      [4, 5],
      [6, 7],
      [8, 9],
      [10, 12],
    ])
    expect(headers(bytes).map((header) => [header.producerId, header.recordsCount])).toEqual([
      [-1, 1],
      [1, 1],
      [-1, 0],
      [2, 1],
      [-1, 0],
    ])
  })
})
