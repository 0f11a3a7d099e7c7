import { gzipSync } from 'node:zlib'
import { compress as lz4Compress } from 'lz4js'
import { compress as snappyCompress } from 'snappyjs'
import { describe, expect, it } from 'vitest'
import { decompress } from '../../../lib/log/compression.ts'
import { crc32c } from '../../../lib/log/crc32c.ts'
import type { LogRecord } from '../../../lib/log/record.ts'
import {
  CorruptBatchError,
  decodeRecordBatches,
  encodeRecordBatch,
  RECORD_BATCH_OVERHEAD,
  withBaseOffset,
} from '../../../lib/log/record-batch.ts'

const records: LogRecord[] = Array.from({ length: 20 }, (_, i) => ({
  key: Buffer.from(`key-${i}`),
  value: Buffer.from(`value ${i} `.repeat(i + 1)),
  headers: [{ key: 'h', value: Buffer.from([i]) }],
  timestamp: 1_700_000_000_000 + i,
}))

/** The Java client's snappy framing: a magic header, then length-prefixed raw blocks. */
function xerial(data: Uint8Array, blockSize: number): Buffer {
  const parts = [Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0, 0, 0, 0, 1, 0, 0, 0, 1])]
  for (let i = 0; i < data.length; i += blockSize) {
    const block = Buffer.from(snappyCompress(data.subarray(i, i + blockSize)))
    const length = Buffer.alloc(4)
    length.writeInt32BE(block.length)
    parts.push(length, block)
  }
  return Buffer.concat(parts)
}

/** A batch of `records` whose payload is replaced by `compress(payload)`, as a producer builds it. */
function compressedBatch(codec: number, compress: (payload: Uint8Array) => Uint8Array): Buffer {
  const plain = encodeRecordBatch(records, { timestampType: 'CreateTime' })
  const header = Buffer.from(plain.subarray(0, RECORD_BATCH_OVERHEAD))
  const batch = Buffer.concat([header, compress(plain.subarray(RECORD_BATCH_OVERHEAD))])
  batch.writeInt32BE(batch.length - 12, 8)
  batch.writeInt16BE(codec, 21)
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17)
  return batch
}

describe('compressed batches', () => {
  const expected = decodeRecordBatches(encodeRecordBatch(records, { timestampType: 'CreateTime' }))

  it.each([
    ['gzip', 1, (payload: Uint8Array) => gzipSync(payload)],
    ['raw snappy', 2, (payload: Uint8Array) => snappyCompress(payload)],
    ['xerial snappy', 2, (payload: Uint8Array) => xerial(payload, 100)],
    ['lz4 frames', 3, (payload: Uint8Array) => lz4Compress(payload)],
  ])('decode %s to the records an uncompressed batch holds', (_, codec, compress) => {
    const batch = withBaseOffset(compressedBatch(codec, compress), 7)
    expect(decodeRecordBatches(batch)).toEqual(
      expected.map((record) => ({ ...record, offset: record.offset + 7 })),
    )
  })

  it('refuses a xerial stream whose block overruns it', () => {
    const framed = xerial(Buffer.from('hello'), 100)
    framed.writeInt32BE(1000, 16)
    expect(() => decompress('snappy', framed)).toThrow(/overruns/)
  })

  it('refuses a truncated gzip payload as a corrupt batch', () => {
    const batch = compressedBatch(1, (payload) => gzipSync(payload).subarray(0, 20))
    expect(() => decodeRecordBatches(batch)).toThrow(CorruptBatchError)
  })
})
