import { describe, expect, it } from 'vitest'
import type { RecordFormats } from '../../../lib/broker/payload-formats.ts'
import type { TimestampType } from '../../../lib/log/record.ts'
import { decodeRecordBatches, readBatchHeader } from '../../../lib/log/record-batch.ts'
import { encodeCompactedSpan } from '../../../lib/maintenance/compacted-batches.ts'
import type { LoggedRecord } from '../../../lib/maintenance/segment-bytes.ts'
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

/** Every batch's [first, last] offsets, walking the bytes by header. */
function spans(bytes: Buffer): [number, number][] {
  const result: [number, number][] = []
  for (let position = 0; position < bytes.length; ) {
    const header = readBatchHeader(bytes, position)
    result.push([header.baseOffset, header.baseOffset + header.lastOffsetDelta])
    position += header.length + 12
  }
  return result
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
})
