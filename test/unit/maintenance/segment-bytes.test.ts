import { describe, expect, it } from 'vitest'
import {
  encodeRecordBatch,
  readBatchHeader,
  withBaseOffset,
} from '../../../lib/log/record-batch.ts'
import {
  loggedRecords,
  rebasedBatches,
  SegmentMismatchError,
} from '../../../lib/maintenance/segment-bytes.ts'
import type { SegmentEntry } from '../../../lib/storage/ports/log.ts'
import { T0 } from './entries.ts'

const record = (value: string) => ({
  key: new TextEncoder().encode('k'),
  value: new TextEncoder().encode(value),
  headers: [],
  timestamp: T0,
})

function entry(baseOffset: number, lastOffset: number, fields: Partial<SegmentEntry> = {}) {
  return {
    baseOffset,
    lastOffset,
    recordCount: lastOffset - baseOffset + 1,
    objectKey: 'o',
    byteOffset: 0,
    byteLength: 0,
    minTimestamp: T0,
    maxTimestamp: T0,
    formats: '',
    createdAt: T0,
    ...fields,
  } satisfies SegmentEntry
}

describe('rebasedBatches', () => {
  it('gives an ingest range (stored from 0) its real offsets', () => {
    const ingest = encodeRecordBatch([record('a'), record('b')], { timestampType: 'CreateTime' })
    const [batch] = rebasedBatches(entry(40, 41), ingest)
    expect(readBatchHeader(batch as Buffer).baseOffset).toBe(40)
  })

  it('keeps a segment whose batches already sit at their real offsets', () => {
    const first = withBaseOffset(
      encodeRecordBatch([record('a')], { timestampType: 'CreateTime' }),
      7,
    )
    const second = withBaseOffset(
      encodeRecordBatch([record('b'), record('c')], { timestampType: 'CreateTime' }),
      8,
    )
    const batches = rebasedBatches(entry(7, 9), Buffer.concat([first, second]))
    expect(batches.map((b) => readBatchHeader(b).baseOffset)).toEqual([7, 8])
  })

  it('refuses bytes that end elsewhere than the entry says', () => {
    const ingest = encodeRecordBatch([record('a'), record('b')], { timestampType: 'CreateTime' })
    expect(() => rebasedBatches(entry(0, 2), ingest)).toThrow(SegmentMismatchError)
  })
})

describe('loggedRecords', () => {
  it('decodes records at their real offsets with their formats', () => {
    const ingest = encodeRecordBatch([record('a'), record('b')], {
      timestampType: 'LogAppendTime',
      appendTime: T0 + 5,
    })
    const records = loggedRecords(entry(3, 4, { formats: '1:JS,1:BB' }), ingest)
    expect(records.map((r) => [r.offset, r.timestampType, r.timestamp])).toEqual([
      [3, 'LogAppendTime', T0 + 5],
      [4, 'LogAppendTime', T0 + 5],
    ])
    expect(records.map((r) => r.formats)).toEqual([
      { key: 'JSON', value: 'STRING' },
      { key: 'BINARY', value: 'BINARY' },
    ])
  })

  it("tells each record of an idempotent producer's batch that batch's producer fields and offsets", () => {
    const ingest = encodeRecordBatch([record('a'), record('b')], {
      timestampType: 'CreateTime',
      producer: { producerId: 9, producerEpoch: 1, baseSequence: 40 },
    })
    const records = loggedRecords(entry(3, 4), ingest)
    const batch = {
      producerId: 9,
      producerEpoch: 1,
      baseSequence: 40,
      baseOffset: 3,
      lastOffset: 4,
    }
    expect(records.map((r) => r.producerBatch)).toEqual([batch, batch])
    const plain = encodeRecordBatch([record('a')], { timestampType: 'CreateTime' })
    expect(loggedRecords(entry(0, 0), plain)[0]?.producerBatch).toBeUndefined()
  })

  it('refuses an entry whose record count disagrees with its bytes', () => {
    const ingest = encodeRecordBatch([record('a'), record('b')], { timestampType: 'CreateTime' })
    expect(() => loggedRecords(entry(0, 1, { recordCount: 3 }), ingest)).toThrow(
      SegmentMismatchError,
    )
  })
})
