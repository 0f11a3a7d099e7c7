import { describe, expect, it } from 'vitest'
import { crc32c } from '../../../lib/log/crc32c.ts'
import type { LogRecord, StoredRecord } from '../../../lib/log/record.ts'
import {
  CorruptBatchError,
  decodeOwnedRecordBatches,
  decodeRecordBatches,
  EmptyBatchError,
  encodeRecordBatch,
  RECORD_BATCH_OVERHEAD,
  readBatchHeader,
  recordBatchSize,
  recordSizeInBatch,
  UnsupportedCompressionError,
  wholeBatchHeader,
  withBaseOffset,
} from '../../../lib/log/record-batch.ts'

const bytes = (text: string) => new TextEncoder().encode(text)
const CREATE_TIME = { timestampType: 'CreateTime' } as const
const T0 = 1_700_000_000_000

function record(overrides: Partial<LogRecord> = {}): LogRecord {
  return { key: bytes('key'), value: bytes('value'), headers: [], timestamp: T0, ...overrides }
}

const hex = (data: Uint8Array | null) => (data === null ? null : Buffer.from(data).toString('hex'))

function asHex(r: StoredRecord) {
  return {
    ...r,
    key: hex(r.key),
    value: hex(r.value),
    headers: r.headers.map((h) => ({ key: h.key, value: hex(h.value) })),
  }
}

/** Rewrites the CRC so that a deliberately edited batch still passes the check. */
function resealCrc(batch: Buffer): Buffer {
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17)
  return batch
}

describe('encodeRecordBatch', () => {
  it('produces the bytes of a hand-built one-record batch', () => {
    const expected = Buffer.alloc(70)
    expected.writeBigInt64BE(0n, 0) // baseOffset
    expected.writeInt32BE(58, 8) // length: 70 - 12
    expected.writeInt32BE(-1, 12) // partitionLeaderEpoch
    expected.writeInt8(2, 16) // magic
    expected.writeUInt32BE(0xe99b8dd8, 17) // CRC-32C of bytes 21..70, computed independently
    expected.writeInt16BE(0, 21) // attributes: no compression, CreateTime
    expected.writeInt32BE(0, 23) // lastOffsetDelta
    expected.writeBigInt64BE(1_700_000_000_000n, 27) // baseTimestamp
    expected.writeBigInt64BE(1_700_000_000_000n, 35) // maxTimestamp
    expected.writeBigInt64BE(-1n, 43) // producerId
    expected.writeInt16BE(-1, 51) // producerEpoch
    expected.writeInt32BE(-1, 53) // baseSequence
    expected.writeInt32BE(1, 57) // recordsCount
    Buffer.from([
      0x10, // record length 8, zigzag
      0x00, // attributes
      0x00, // timestampDelta 0
      0x00, // offsetDelta 0
      0x02, // key length 1
      0x6b, // 'k'
      0x02, // value length 1
      0x76, // 'v'
      0x00, // header count 0
    ]).copy(expected, 61)

    const batch = encodeRecordBatch(
      [{ key: bytes('k'), value: bytes('v'), headers: [], timestamp: 1_700_000_000_000 }],
      CREATE_TIME,
    )
    expect(batch.toString('hex')).toBe(expected.toString('hex'))
  })

  it('fills the header fields at their documented positions', () => {
    const records = [
      record({ timestamp: T0 + 50 }),
      record({ timestamp: T0 + 900 }),
      record({ timestamp: T0 }),
    ]
    const batch = encodeRecordBatch(records, CREATE_TIME)
    expect(batch.readBigInt64BE(0)).toBe(0n)
    expect(batch.readInt32BE(8)).toBe(batch.length - 12)
    expect(batch.readInt8(16)).toBe(2)
    expect(batch.readUInt32BE(17)).toBe(crc32c(batch.subarray(21)))
    expect(batch.readInt16BE(21)).toBe(0)
    expect(batch.readInt32BE(23)).toBe(2)
    expect(batch.readBigInt64BE(27)).toBe(BigInt(T0 + 50))
    expect(batch.readBigInt64BE(35)).toBe(BigInt(T0 + 900))
    expect(batch.readBigInt64BE(43)).toBe(-1n)
    expect(batch.readInt16BE(51)).toBe(-1)
    expect(batch.readInt32BE(53)).toBe(-1)
    expect(batch.readInt32BE(57)).toBe(3)
  })

  it("writes an idempotent producer's id, epoch and base sequence under the CRC", () => {
    const producer = { producerId: 2 ** 40 + 5, producerEpoch: 12, baseSequence: 2 ** 31 - 2 }
    const batch = encodeRecordBatch([record(), record()], { ...CREATE_TIME, producer })
    expect(batch.readBigInt64BE(43)).toBe(BigInt(producer.producerId))
    expect(batch.readInt16BE(51)).toBe(12)
    expect(batch.readInt32BE(53)).toBe(2 ** 31 - 2)
    expect(batch.readUInt32BE(17)).toBe(crc32c(batch.subarray(21)))
    expect(readBatchHeader(batch)).toMatchObject(producer)
    expect(decodeRecordBatches(batch)).toHaveLength(2)
  })

  it('rejects an empty record list', () => {
    expect(() => encodeRecordBatch([], CREATE_TIME)).toThrow(EmptyBatchError)
    expect(() => recordBatchSize([], CREATE_TIME)).toThrow(EmptyBatchError)
  })

  it('rejects timestamps that are not safe integers', () => {
    expect(() => encodeRecordBatch([record({ timestamp: 1.5 })], CREATE_TIME)).toThrow(RangeError)
  })
})

describe('decodeRecordBatches', () => {
  it('round-trips null, empty and unicode fields', () => {
    const records: LogRecord[] = [
      record({ key: null }),
      record({ value: null }),
      record({ key: new Uint8Array(0), value: new Uint8Array(0) }),
      record({
        headers: [
          { key: 'trace-id', value: bytes('abc') },
          { key: 'nullable', value: null },
          { key: 'ключ-🔑', value: new Uint8Array(0) },
          { key: '', value: Uint8Array.of(0, 255) },
        ],
      }),
    ]
    const decoded = decodeRecordBatches(encodeRecordBatch(records, CREATE_TIME))
    expect(decoded).toEqual(records.map((r, offset) => ({ ...r, offset })))
  })

  it('round-trips 1000 records with large keys and values', () => {
    const records = Array.from({ length: 1000 }, (_, i) =>
      record({
        key: bytes(`key-${i}`),
        value: new Uint8Array(i * 3).fill(i & 0xff),
        timestamp: T0 + i * 1000,
        headers: i % 7 === 0 ? [{ key: `h${i}`, value: bytes(String(i)) }] : [],
      }),
    )
    const batch = encodeRecordBatch(records, CREATE_TIME)
    expect(readBatchHeader(batch).lastOffsetDelta).toBe(999)
    const decoded = decodeRecordBatches(batch)
    expect(decoded).toHaveLength(1000)
    // Hex strings: deep-equality on 1000 typed arrays is slow in vitest.
    expect(decoded.map(asHex)).toEqual(records.map((r, offset) => asHex({ ...r, offset })))
  })

  it('keeps out-of-order timestamps, with negative deltas and the maximum in the header', () => {
    const timestamps = [T0 + 5000, T0 - 86_400_000, T0 + 10_000_000_000, T0]
    const batch = encodeRecordBatch(
      timestamps.map((timestamp) => record({ timestamp })),
      CREATE_TIME,
    )
    const header = readBatchHeader(batch)
    expect(header.baseTimestamp).toBe(T0 + 5000)
    expect(header.maxTimestamp).toBe(T0 + 10_000_000_000)
    expect(decodeRecordBatches(batch).map((r) => r.timestamp)).toEqual(timestamps)
  })

  it('returns copies that do not alias the input', () => {
    const batch = encodeRecordBatch([record()], CREATE_TIME)
    const [decoded] = decodeRecordBatches(batch)
    batch.fill(0)
    expect(decoded?.value).toEqual(bytes('value'))
  })

  it('decodes owned input to the same records, as views into it', () => {
    const records = [
      record({ headers: [{ key: 'h', value: bytes('hv') }] }),
      record({ key: null, value: bytes('second') }),
    ]
    const batch = encodeRecordBatch(records, CREATE_TIME)
    const owned = decodeOwnedRecordBatches(batch)
    expect(owned.map(asHex)).toEqual(decodeRecordBatches(batch).map(asHex))
    expect(owned[0]?.value?.buffer).toBe(batch.buffer)
    expect(owned[0]?.headers[0]?.value?.buffer).toBe(batch.buffer)
  })

  it('decodes nothing from empty input', () => {
    expect(decodeRecordBatches(new Uint8Array(0))).toEqual([])
  })

  it('decodes concatenated batches, each from its own base offset', () => {
    const first = withBaseOffset(
      encodeRecordBatch(
        [record({ value: bytes('a') }), record({ value: bytes('b') })],
        CREATE_TIME,
      ),
      100,
    )
    const second = withBaseOffset(
      encodeRecordBatch([record({ value: bytes('c') })], CREATE_TIME),
      7,
    )
    const decoded = decodeRecordBatches(Buffer.concat([first, second]))
    expect(decoded.map((r) => [r.offset, new TextDecoder().decode(r.value ?? undefined)])).toEqual([
      [100, 'a'],
      [101, 'b'],
      [7, 'c'],
    ])
  })

  it('decodes a batch that sits inside a larger buffer', () => {
    const batch = encodeRecordBatch([record()], CREATE_TIME)
    const backing = Buffer.alloc(batch.length + 16, 0xaa)
    batch.copy(backing, 8)
    const view = backing.subarray(8, 8 + batch.length)
    expect(decodeRecordBatches(view)).toEqual([{ ...record(), offset: 0 }])
  })

  it('throws CorruptBatchError when a byte of the records flips', () => {
    const batch = encodeRecordBatch([record(), record()], CREATE_TIME)
    batch[RECORD_BATCH_OVERHEAD + 6] = (batch[RECORD_BATCH_OVERHEAD + 6] as number) ^ 0x01
    expect(() => decodeRecordBatches(batch)).toThrow(CorruptBatchError)
    expect(() => decodeRecordBatches(batch)).toThrow(/fails its CRC/)
  })

  it('throws CorruptBatchError when a header byte under the CRC flips', () => {
    const batch = encodeRecordBatch([record()], CREATE_TIME)
    batch[30] = (batch[30] as number) ^ 0x40 // inside baseTimestamp
    expect(() => decodeRecordBatches(batch)).toThrow(CorruptBatchError)
  })

  it('throws CorruptBatchError on truncated input', () => {
    const batch = encodeRecordBatch([record(), record()], CREATE_TIME)
    expect(() => decodeRecordBatches(batch.subarray(0, batch.length - 1))).toThrow(
      /truncated batch at byte 0/,
    )
    expect(() => decodeRecordBatches(batch.subarray(0, 30))).toThrow(CorruptBatchError)
    const followedByScrap = Buffer.concat([batch, batch.subarray(0, 20)])
    expect(() => decodeRecordBatches(followedByScrap)).toThrow(
      new RegExp(`truncated batch header at byte ${batch.length}`),
    )
  })

  it('throws CorruptBatchError for a magic other than 2', () => {
    const batch = encodeRecordBatch([record()], CREATE_TIME)
    batch.writeInt8(1, 16)
    expect(() => decodeRecordBatches(batch)).toThrow(/magic 1, expected 2/)
  })

  it('throws CorruptBatchError when records disagree with their lengths despite a valid CRC', () => {
    const batch = encodeRecordBatch([record()], CREATE_TIME)
    batch[RECORD_BATCH_OVERHEAD] = (batch[RECORD_BATCH_OVERHEAD] as number) - 2 // one byte shorter
    expect(() => decodeRecordBatches(resealCrc(batch))).toThrow(CorruptBatchError)
  })

  it('throws CorruptBatchError when the record count overstates the records', () => {
    const batch = encodeRecordBatch([record()], CREATE_TIME)
    batch.writeInt32BE(2, 57)
    expect(() => decodeRecordBatches(resealCrc(batch))).toThrow(CorruptBatchError)
  })

  it.each([
    [5, 'unknown codec 5'],
    [6, 'unknown codec 6'],
    [7, 'unknown codec 7'],
  ])('rejects compression codec %i with UnsupportedCompressionError naming %s', (id, name) => {
    const batch = encodeRecordBatch([record()], CREATE_TIME)
    batch.writeInt16BE(id, 21)
    const decode = () => decodeRecordBatches(resealCrc(batch))
    expect(decode).toThrow(UnsupportedCompressionError)
    expect(decode).toThrow(name)
  })

  it.each([1, 2, 3, 4])(
    'throws CorruptBatchError when a batch of codec %i holds bytes that do not decompress',
    (id) => {
      const batch = encodeRecordBatch([record()], CREATE_TIME)
      batch.writeInt16BE(id, 21)
      expect(() => decodeRecordBatches(resealCrc(batch))).toThrow(CorruptBatchError)
    },
  )

  it('skips control batches', () => {
    const control = encodeRecordBatch([record()], CREATE_TIME)
    control.writeInt16BE(0x20 | 0x10, 21) // control, transactional
    const data = withBaseOffset(encodeRecordBatch([record()], CREATE_TIME), 1)
    const decoded = decodeRecordBatches(Buffer.concat([resealCrc(control), data]))
    expect(decoded.map((r) => r.offset)).toEqual([1])
  })
})

describe('LogAppendTime', () => {
  const options = { timestampType: 'LogAppendTime', appendTime: T0 + 123 } as const

  it('sets attribute bit 3 and stamps the append time on the batch', () => {
    const batch = encodeRecordBatch(
      [record({ timestamp: 5 }), record({ timestamp: T0 + 10 ** 9 })],
      options,
    )
    expect(batch.readInt16BE(21)).toBe(0x08)
    expect(batch.readBigInt64BE(27)).toBe(BigInt(T0 + 123))
    expect(batch.readBigInt64BE(35)).toBe(BigInt(T0 + 123))
    const header = readBatchHeader(batch)
    expect(header.timestampType).toBe('LogAppendTime')
    expect(decodeRecordBatches(batch).map((r) => r.timestamp)).toEqual([T0 + 123, T0 + 123])
  })

  it('reads every record at maxTimestamp, whatever the deltas say', () => {
    const batch = encodeRecordBatch(
      [record({ timestamp: T0 }), record({ timestamp: T0 + 40 })],
      CREATE_TIME,
    )
    batch.writeInt16BE(0x08, 21)
    expect(decodeRecordBatches(resealCrc(batch)).map((r) => r.timestamp)).toEqual([
      T0 + 40,
      T0 + 40,
    ])
  })

  it('defaults the append time to now', () => {
    const before = Date.now()
    const batch = encodeRecordBatch([record({ timestamp: 0 })], { timestampType: 'LogAppendTime' })
    const stamped = readBatchHeader(batch).maxTimestamp
    expect(stamped).toBeGreaterThanOrEqual(before)
    expect(stamped).toBeLessThanOrEqual(Date.now())
  })
})

describe('withBaseOffset', () => {
  it('patches the base offset, keeps the CRC valid and leaves the input alone', () => {
    const original = encodeRecordBatch([record(), record()], CREATE_TIME)
    const patched = withBaseOffset(original, 2 ** 40 + 3)
    expect(patched.readBigInt64BE(0)).toBe(2n ** 40n + 3n)
    expect(patched.subarray(8)).toEqual(original.subarray(8))
    expect(original.readBigInt64BE(0)).toBe(0n)
    expect(decodeRecordBatches(patched).map((r) => r.offset)).toEqual([2 ** 40 + 3, 2 ** 40 + 4])
  })

  it('rejects negative or unsafe offsets', () => {
    const batch = encodeRecordBatch([record()], CREATE_TIME)
    expect(() => withBaseOffset(batch, -1)).toThrow(RangeError)
    expect(() => withBaseOffset(batch, 2 ** 53)).toThrow(RangeError)
  })
})

describe('readBatchHeader', () => {
  it('describes each batch so a reader can walk them without decoding records', () => {
    const first = withBaseOffset(encodeRecordBatch([record(), record(), record()], CREATE_TIME), 10)
    const second = withBaseOffset(encodeRecordBatch([record()], CREATE_TIME), 13)
    const log = Buffer.concat([first, second])

    const header = readBatchHeader(log)
    expect(header).toEqual({
      baseOffset: 10,
      length: first.length - 12,
      attributes: 0,
      timestampType: 'CreateTime',
      isControl: false,
      isTransactional: false,
      lastOffsetDelta: 2,
      baseTimestamp: T0,
      maxTimestamp: T0,
      producerId: -1,
      producerEpoch: -1,
      baseSequence: -1,
      recordsCount: 3,
    })
    const next = readBatchHeader(log, header.length + 12)
    expect(next.baseOffset).toBe(13)
    expect(next.recordsCount).toBe(1)
  })
})

describe('record sizes', () => {
  const samples: LogRecord[] = [
    record(),
    record({ key: null, value: null }),
    record({ value: new Uint8Array(200) }),
    record({ value: new Uint8Array(20_000), timestamp: T0 + 3_000_000 }),
    record({
      headers: [
        { key: 'ünïcödé', value: null },
        { key: 'h', value: bytes('x') },
      ],
    }),
    record({ timestamp: T0 - 10 ** 10 }),
  ]

  it.each([0, 1, 63, 64, 200])(
    'recordSizeInBatch equals the growth of a batch of %i records by one more',
    (n) => {
      const base = Array.from({ length: n }, (_, i) => record({ timestamp: T0 + i }))
      for (const extra of samples) {
        const without =
          n === 0 ? RECORD_BATCH_OVERHEAD : encodeRecordBatch(base, CREATE_TIME).length
        const grown = encodeRecordBatch([...base, extra], CREATE_TIME).length
        const firstTimestamp = (base[0] ?? extra).timestamp
        expect(recordSizeInBatch(extra, n, extra.timestamp - firstTimestamp)).toBe(grown - without)
      }
    },
  )

  it('recordBatchSize equals the encoded length', () => {
    for (const options of [
      CREATE_TIME,
      { timestampType: 'LogAppendTime', appendTime: 0 } as const,
    ]) {
      expect(recordBatchSize(samples, options)).toBe(encodeRecordBatch(samples, options).length)
    }
  })

  it('counts the 61-byte header, as max.message.bytes does', () => {
    const one = record({ key: bytes('k'), value: bytes('v') })
    expect(RECORD_BATCH_OVERHEAD).toBe(61)
    expect(recordBatchSize([one], CREATE_TIME)).toBe(70)
  })
})

describe('wholeBatchHeader', () => {
  it('reads the header of a batch the bytes hold whole, and nothing of one they cut', () => {
    const one = encodeRecordBatch([record(), record()], CREATE_TIME)
    const two = Buffer.concat([one, one])
    expect(wholeBatchHeader(two, one.length)).toEqual(readBatchHeader(one))
    expect(wholeBatchHeader(two.subarray(0, two.length - 1), one.length)).toBeUndefined()
    expect(wholeBatchHeader(two.subarray(0, one.length + 20), one.length)).toBeUndefined()
    expect(wholeBatchHeader(two, two.length)).toBeUndefined()
  })
})
