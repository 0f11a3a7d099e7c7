import { describe, expect, it } from 'vitest'
import type { LogRecord } from '../../../lib/log/record.ts'
import {
  decodeRecordBatches,
  EmptyBatchError,
  encodeEmptyRecordBatch,
  encodeRecordBatch,
  RECORD_BATCH_OVERHEAD,
  readBatchHeader,
  recordBatchSize,
} from '../../../lib/log/record-batch.ts'

const bytes = (text: string) => new TextEncoder().encode(text)
const T0 = 1_700_000_000_000

function record(value: string, timestamp = T0): LogRecord {
  return { key: bytes(`k-${value}`), value: bytes(value), headers: [], timestamp }
}

describe('encodeRecordBatch with a placement', () => {
  const records = [record('a', T0 + 5), record('b', T0), record('c', T0 + 9)]
  const placement = { baseOffset: 100, lastOffsetDelta: 12, offsetDeltas: [2, 3, 7] }
  const batch = encodeRecordBatch(records, { timestampType: 'CreateTime', placement })

  it('keeps each record at its offset, with gaps, and the span in the header', () => {
    const header = readBatchHeader(batch)
    expect(header.baseOffset).toBe(100)
    expect(header.lastOffsetDelta).toBe(12)
    expect(header.recordsCount).toBe(3)
    const decoded = decodeRecordBatches(batch)
    expect(decoded.map((r) => r.offset)).toEqual([102, 103, 107])
    expect(decoded.map((r) => r.timestamp)).toEqual([T0 + 5, T0, T0 + 9])
    expect(decoded.map((r) => Buffer.from(r.value ?? []).toString())).toEqual(['a', 'b', 'c'])
  })

  it('has the size recordBatchSize predicts for the same placement', () => {
    expect(recordBatchSize(records, { timestampType: 'CreateTime', placement })).toBe(batch.length)
  })

  it('is what the default placement gives when the offsets are consecutive from 0', () => {
    const consecutive = { baseOffset: 0, lastOffsetDelta: 2, offsetDeltas: [0, 1, 2] }
    expect(
      encodeRecordBatch(records, { timestampType: 'CreateTime', placement: consecutive }),
    ).toEqual(encodeRecordBatch(records, { timestampType: 'CreateTime' }))
  })

  it('rejects deltas that do not increase, do not match the records, or pass the last offset', () => {
    const encode = (p: typeof placement) =>
      encodeRecordBatch(records, { timestampType: 'CreateTime', placement: p })
    expect(() => encode({ ...placement, offsetDeltas: [2, 2, 7] })).toThrow(RangeError)
    expect(() => encode({ ...placement, offsetDeltas: [-1, 3, 7] })).toThrow(RangeError)
    expect(() => encode({ ...placement, offsetDeltas: [2, 3] })).toThrow(RangeError)
    expect(() => encode({ ...placement, lastOffsetDelta: 6 })).toThrow(RangeError)
    expect(() => encode({ ...placement, lastOffsetDelta: 2 ** 31 })).toThrow(RangeError)
    expect(() => encode({ ...placement, baseOffset: -1 })).toThrow(RangeError)
  })

  it('still refuses a batch without records', () => {
    expect(() =>
      encodeRecordBatch([], {
        timestampType: 'CreateTime',
        placement: { baseOffset: 0, lastOffsetDelta: 0, offsetDeltas: [] },
      }),
    ).toThrow(EmptyBatchError)
  })
})

describe('encodeEmptyRecordBatch', () => {
  it('covers its offsets with no records, as Kafka keeps a fully compacted batch', () => {
    const batch = encodeEmptyRecordBatch({
      baseOffset: 40,
      lastOffsetDelta: 9,
      timestampType: 'LogAppendTime',
      maxTimestamp: T0,
    })
    expect(batch.length).toBe(RECORD_BATCH_OVERHEAD)
    const header = readBatchHeader(batch)
    expect(header).toMatchObject({
      baseOffset: 40,
      lastOffsetDelta: 9,
      recordsCount: 0,
      timestampType: 'LogAppendTime',
      baseTimestamp: -1,
      maxTimestamp: T0,
    })
    // The CRC is checked on decoding: a valid empty batch decodes to nothing.
    expect(decodeRecordBatches(batch)).toEqual([])
  })

  it('rejects spans that do not fit the header', () => {
    const span = {
      baseOffset: 0,
      lastOffsetDelta: 0,
      timestampType: 'CreateTime',
      maxTimestamp: 0,
    } as const
    expect(() => encodeEmptyRecordBatch({ ...span, baseOffset: -5 })).toThrow(RangeError)
    expect(() => encodeEmptyRecordBatch({ ...span, lastOffsetDelta: -1 })).toThrow(RangeError)
  })
})
