/**
 * Kafka RecordBatch v2 (magic 2). Layout in REFERENCE.md §9. Sluice writes
 * uncompressed batches; it reads compressed ones too, as Kafka clients send them.
 */
import { COMPRESSION_CODECS, DecompressionError, decompress } from './compression.ts'
import { crc32c } from './crc32c.ts'
import type { LogRecord, RecordHeader, StoredRecord, TimestampType } from './record.ts'
import { ByteFormatError, ByteReader, ByteWriter, varintSize, varlongSize } from './varint.ts'

/** Bytes of a batch before its first record; Kafka's max.message.bytes counts them too. */
export const RECORD_BATCH_OVERHEAD = 61

/** baseOffset and length: the part of the header the length field does not count. */
const LOG_OVERHEAD = 12
const MAGIC = 2
const CRC_POSITION = 17
const ATTRIBUTES_POSITION = 21
const MAX_TIMESTAMP_POSITION = 35

const COMPRESSION_MASK = 0x07
const LOG_APPEND_TIME_BIT = 0x08
const TRANSACTIONAL_BIT = 0x10
const CONTROL_BIT = 0x20

/** What a batch holds where it has no leader epoch, producer id or sequence. */
const NO_VALUE = -1
const INT32_MAX = 2 ** 31 - 1

export class EmptyBatchError extends Error {
  override name = 'EmptyBatchError'
}

export class CorruptBatchError extends Error {
  override name = 'CorruptBatchError'
}

export class UnsupportedCompressionError extends Error {
  override name = 'UnsupportedCompressionError'

  constructor(
    readonly codec: string,
    baseOffset: number,
  ) {
    super(`batch at base offset ${baseOffset} is compressed with ${codec}, which is not supported`)
  }
}

/**
 * Where a batch sits in the log and where its records sit in it. A batch that
 * compaction thinned keeps the span of offsets it covers: its first record may
 * come after its base offset and its last offset after its last record, as in
 * the batches Kafka's log cleaner writes.
 */
export interface BatchPlacement {
  readonly baseOffset: number
  /** The last offset the batch covers, relative to `baseOffset`. */
  readonly lastOffsetDelta: number
  /** Each record's offset relative to `baseOffset`: increasing, none above `lastOffsetDelta`. */
  readonly offsetDeltas: readonly number[]
}

export interface EncodeOptions {
  readonly timestampType: TimestampType
  /** Stamped on every record when timestampType is LogAppendTime; defaults to now. */
  readonly appendTime?: number
  /** Defaults to base offset 0 with the records at consecutive offsets, as a producer sends them. */
  readonly placement?: BatchPlacement
  /** The idempotent producer that sent the batch; without one the fields hold -1. */
  readonly producer?: BatchProducer
}

/** The producer fields of a batch header. They are inside the CRC, so they are set when encoding. */
export interface BatchProducer {
  readonly producerId: number
  readonly producerEpoch: number
  readonly baseSequence: number
}

const NO_PRODUCER: BatchProducer = {
  producerId: NO_VALUE,
  producerEpoch: NO_VALUE,
  baseSequence: NO_VALUE,
}

/** A batch that covers offsets but whose records were all compacted away. */
export interface EmptyBatchSpan {
  readonly baseOffset: number
  readonly lastOffsetDelta: number
  readonly timestampType: TimestampType
  /** The greatest timestamp the removed records had; Kafka keeps it in the empty batch's header. */
  readonly maxTimestamp: number
}

export interface RecordBatchHeader {
  readonly baseOffset: number
  /** The length field: bytes after it, so the batch occupies `length + 12` bytes. */
  readonly length: number
  readonly attributes: number
  readonly timestampType: TimestampType
  readonly isControl: boolean
  readonly isTransactional: boolean
  readonly lastOffsetDelta: number
  readonly baseTimestamp: number
  readonly maxTimestamp: number
  readonly producerId: number
  readonly producerEpoch: number
  readonly baseSequence: number
  readonly recordsCount: number
}

interface BatchTimestamps {
  readonly base: number
  readonly max: number
  readonly deltaOf: (record: LogRecord) => number
}

function batchTimestamps(
  first: LogRecord,
  records: readonly LogRecord[],
  options: EncodeOptions,
): BatchTimestamps {
  if (options.timestampType === 'LogAppendTime') {
    const appendTime = options.appendTime ?? Date.now()
    return { base: appendTime, max: appendTime, deltaOf: () => 0 }
  }
  let max = first.timestamp
  for (const record of records) max = Math.max(max, record.timestamp)
  const base = first.timestamp
  return { base, max, deltaOf: (record) => record.timestamp - base }
}

function nullableBytesSize(bytes: Uint8Array | null): number {
  return bytes === null ? varintSize(-1) : varintSize(bytes.length) + bytes.length
}

function recordBodySize(record: LogRecord, offsetDelta: number, timestampDelta: number): number {
  let size =
    1 + // attributes
    varlongSize(timestampDelta) +
    varintSize(offsetDelta) +
    nullableBytesSize(record.key) +
    nullableBytesSize(record.value) +
    varintSize(record.headers.length)
  for (const header of record.headers) {
    const keyLength = Buffer.byteLength(header.key, 'utf8')
    size += varintSize(keyLength) + keyLength + nullableBytesSize(header.value)
  }
  return size
}

/** Exact bytes one record takes inside a batch, its length prefix included. */
export function recordSizeInBatch(
  record: LogRecord,
  offsetDelta: number,
  timestampDelta: number,
): number {
  const body = recordBodySize(record, offsetDelta, timestampDelta)
  return varintSize(body) + body
}

/** Exact size of `encodeRecordBatch(records, options)`, without encoding. */
export function recordBatchSize(records: readonly LogRecord[], options: EncodeOptions): number {
  const first = records[0]
  if (first === undefined) throw new EmptyBatchError('a record batch needs at least one record')
  const timestamps = batchTimestamps(first, records, options)
  const { offsetDeltas } = placementOf(records, options)
  let size = RECORD_BATCH_OVERHEAD
  records.forEach((record, index) => {
    size += recordSizeInBatch(record, offsetDeltas[index] as number, timestamps.deltaOf(record))
  })
  return size
}

function placementOf(records: readonly LogRecord[], options: EncodeOptions): BatchPlacement {
  const { placement } = options
  if (placement === undefined) {
    return {
      baseOffset: 0,
      lastOffsetDelta: records.length - 1,
      offsetDeltas: records.map((_, index) => index),
    }
  }
  const { baseOffset, lastOffsetDelta, offsetDeltas } = placement
  if (offsetDeltas.length !== records.length) {
    throw new RangeError(`${offsetDeltas.length} offset deltas for ${records.length} records`)
  }
  if (!Number.isSafeInteger(baseOffset) || baseOffset < 0) {
    throw new RangeError(`base offset must be a non-negative safe integer, got ${baseOffset}`)
  }
  let previous = -1
  for (const delta of offsetDeltas) {
    if (!Number.isInteger(delta) || delta <= previous) {
      throw new RangeError(`offset deltas must be increasing non-negative integers, got ${delta}`)
    }
    previous = delta
  }
  if (
    !Number.isInteger(lastOffsetDelta) ||
    lastOffsetDelta < previous ||
    lastOffsetDelta > INT32_MAX
  ) {
    throw new RangeError(
      `last offset delta ${lastOffsetDelta} must cover the last record's (${previous}) and fit in 32 bits`,
    )
  }
  return placement
}

function writeNullableBytes(writer: ByteWriter, bytes: Uint8Array | null): void {
  if (bytes === null) {
    writer.varint(-1)
    return
  }
  writer.varint(bytes.length)
  writer.bytes(bytes)
}

function writeHeader(writer: ByteWriter, header: RecordHeader): void {
  writer.varint(Buffer.byteLength(header.key, 'utf8'))
  writer.utf8(header.key)
  writeNullableBytes(writer, header.value)
}

/**
 * Encodes records as one batch, by default with base offset 0, as a producer
 * would send it (the log assigns the real base offset with `withBaseOffset`),
 * or at the placement given.
 */
export function encodeRecordBatch(records: readonly LogRecord[], options: EncodeOptions): Buffer {
  const first = records[0]
  if (first === undefined) throw new EmptyBatchError('a record batch needs at least one record')
  const timestamps = batchTimestamps(first, records, options)
  const { baseOffset, lastOffsetDelta, offsetDeltas } = placementOf(records, options)
  const bodySizes = records.map((record, index) =>
    recordBodySize(record, offsetDeltas[index] as number, timestamps.deltaOf(record)),
  )
  const size = bodySizes.reduce(
    (total, body) => total + varintSize(body) + body,
    RECORD_BATCH_OVERHEAD,
  )

  const writer = new ByteWriter(size)
  writeBatchHeader(writer, {
    baseOffset,
    size,
    timestampType: options.timestampType,
    lastOffsetDelta,
    baseTimestamp: timestamps.base,
    maxTimestamp: timestamps.max,
    recordsCount: records.length,
    producer: options.producer ?? NO_PRODUCER,
  })
  records.forEach((record, index) => {
    writer.varint(bodySizes[index] as number)
    writer.int8(0) // record attributes: unused in v2
    writer.varlong(timestamps.deltaOf(record))
    writer.varint(offsetDeltas[index] as number)
    writeNullableBytes(writer, record.key)
    writeNullableBytes(writer, record.value)
    writer.varint(record.headers.length)
    for (const header of record.headers) writeHeader(writer, header)
  })
  return sealed(writer.finish())
}

/**
 * A batch of no records that still covers its offsets, as Kafka's cleaner keeps
 * one where every record of a span was compacted away: a reader moves past it
 * to `baseOffset + lastOffsetDelta + 1`.
 */
export function encodeEmptyRecordBatch(span: EmptyBatchSpan): Buffer {
  if (!Number.isSafeInteger(span.baseOffset) || span.baseOffset < 0) {
    throw new RangeError(`base offset must be a non-negative safe integer, got ${span.baseOffset}`)
  }
  if (
    !Number.isInteger(span.lastOffsetDelta) ||
    span.lastOffsetDelta < 0 ||
    span.lastOffsetDelta > INT32_MAX
  ) {
    throw new RangeError(`last offset delta must fit in 32 bits, got ${span.lastOffsetDelta}`)
  }
  const writer = new ByteWriter(RECORD_BATCH_OVERHEAD)
  writeBatchHeader(writer, {
    baseOffset: span.baseOffset,
    size: RECORD_BATCH_OVERHEAD,
    timestampType: span.timestampType,
    lastOffsetDelta: span.lastOffsetDelta,
    baseTimestamp: NO_VALUE,
    maxTimestamp: span.maxTimestamp,
    recordsCount: 0,
    producer: NO_PRODUCER,
  })
  return sealed(writer.finish())
}

interface BatchHeaderFields {
  readonly baseOffset: number
  /** The whole batch's length in bytes. */
  readonly size: number
  readonly timestampType: TimestampType
  readonly lastOffsetDelta: number
  readonly baseTimestamp: number
  readonly maxTimestamp: number
  readonly recordsCount: number
  readonly producer: BatchProducer
}

function writeBatchHeader(writer: ByteWriter, fields: BatchHeaderFields): void {
  writer.int64(fields.baseOffset)
  writer.int32(fields.size - LOG_OVERHEAD)
  writer.int32(NO_VALUE) // partitionLeaderEpoch
  writer.int8(MAGIC)
  writer.int32(0) // CRC, patched by `sealed` once the bytes it covers exist
  writer.int16(fields.timestampType === 'LogAppendTime' ? LOG_APPEND_TIME_BIT : 0)
  writer.int32(fields.lastOffsetDelta)
  writer.int64(fields.baseTimestamp)
  writer.int64(fields.maxTimestamp)
  writer.int64(fields.producer.producerId)
  writer.int16(fields.producer.producerEpoch)
  writer.int32(fields.producer.baseSequence)
  writer.int32(fields.recordsCount)
}

function sealed(batch: Buffer): Buffer {
  batch.writeUInt32BE(crc32c(batch.subarray(ATTRIBUTES_POSITION)), CRC_POSITION)
  return batch
}

/** The bytes the batch whose header this is takes, its base offset and length fields included. */
export function batchByteLength(header: RecordBatchHeader): number {
  return header.length + LOG_OVERHEAD
}

/**
 * Sets LogAppendTime on a batch in place, as Kafka's broker does for topics
 * with message.timestamp.type=LogAppendTime: the attribute bit, the max
 * timestamp, and a CRC over the changed bytes. Records are left as they are.
 */
export function stampLogAppendTime(batch: Buffer, appendTime: number): void {
  batch.writeInt16BE(
    batch.readInt16BE(ATTRIBUTES_POSITION) | LOG_APPEND_TIME_BIT,
    ATTRIBUTES_POSITION,
  )
  batch.writeBigInt64BE(BigInt(appendTime), MAX_TIMESTAMP_POSITION)
  sealed(batch)
}

/** A copy of `batch` with its base offset set; the field is outside the CRC. */
export function withBaseOffset(batch: Uint8Array, baseOffset: number): Buffer {
  if (!Number.isSafeInteger(baseOffset) || baseOffset < 0) {
    throw new RangeError(`base offset must be a non-negative safe integer, got ${baseOffset}`)
  }
  if (batch.length < RECORD_BATCH_OVERHEAD) {
    throw new CorruptBatchError(`batch of ${batch.length} bytes is shorter than its header`)
  }
  const copy = Buffer.from(batch)
  copy.writeBigInt64BE(BigInt(baseOffset), 0)
  return copy
}

function corruptOnFormatError<T>(position: number, read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof ByteFormatError) {
      throw new CorruptBatchError(`batch at byte ${position}: ${error.message}`, { cause: error })
    }
    throw error
  }
}

/**
 * Reads the header of the batch starting at `position`, checking that the whole
 * batch is present and has magic 2; the CRC is left to `decodeRecordBatches`.
 */
export function readBatchHeader(bytes: Uint8Array, position = 0): RecordBatchHeader {
  const available = bytes.length - position
  if (available < RECORD_BATCH_OVERHEAD) {
    throw new CorruptBatchError(
      `truncated batch header at byte ${position}: ${available} of ${RECORD_BATCH_OVERHEAD} bytes`,
    )
  }
  return corruptOnFormatError(position, () => {
    const reader = new ByteReader(bytes, position)
    const baseOffset = reader.int64()
    const length = reader.int32()
    if (length < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) {
      throw new CorruptBatchError(`batch at byte ${position} has impossible length ${length}`)
    }
    if (length + LOG_OVERHEAD > available) {
      throw new CorruptBatchError(
        `truncated batch at byte ${position}: length says ${length + LOG_OVERHEAD} bytes, ${available} present`,
      )
    }
    reader.skip(4) // partitionLeaderEpoch
    const magic = reader.int8()
    if (magic !== MAGIC) {
      throw new CorruptBatchError(`batch at byte ${position} has magic ${magic}, expected ${MAGIC}`)
    }
    reader.skip(4) // CRC
    const attributes = reader.int16()
    return {
      baseOffset,
      length,
      attributes,
      timestampType: attributes & LOG_APPEND_TIME_BIT ? 'LogAppendTime' : 'CreateTime',
      isControl: (attributes & CONTROL_BIT) !== 0,
      isTransactional: (attributes & TRANSACTIONAL_BIT) !== 0,
      lastOffsetDelta: reader.int32(),
      baseTimestamp: reader.int64(),
      maxTimestamp: reader.int64(),
      producerId: reader.int64(),
      producerEpoch: reader.int16(),
      baseSequence: reader.int32(),
      recordsCount: reader.int32(),
    }
  })
}

/**
 * The header of the batch starting at `position` when `bytes` hold all of it;
 * undefined when they end inside it, as a range cut to a byte budget does.
 */
export function wholeBatchHeader(
  bytes: Uint8Array,
  position: number,
): RecordBatchHeader | undefined {
  const available = bytes.length - position
  if (available < RECORD_BATCH_OVERHEAD) return undefined
  const length = new ByteReader(bytes, position + 8).int32()
  return length + LOG_OVERHEAD > available ? undefined : readBatchHeader(bytes, position)
}

/** What a decoded record keeps of the bytes of a key, value or header value it was read from. */
type KeepBytes = (view: Uint8Array) => Uint8Array

/** A copy, so callers neither alias nor retain the whole input. */
const copied: KeepBytes = (view) => new Uint8Array(view)
const viewed: KeepBytes = (view) => view

function readNullableBytes(reader: ByteReader, what: string, keep: KeepBytes): Uint8Array | null {
  const length = reader.varint()
  if (length === -1) return null
  if (length < -1) throw new CorruptBatchError(`${what} has negative length ${length}`)
  return keep(reader.bytes(length))
}

const utf8 = new TextDecoder()

function readRecord(reader: ByteReader, header: RecordBatchHeader, keep: KeepBytes): StoredRecord {
  const length = reader.varint()
  if (length < 0 || length > reader.remaining) {
    throw new CorruptBatchError(
      `record length ${length} exceeds the ${reader.remaining} bytes left`,
    )
  }
  const end = reader.position + length
  reader.skip(1) // attributes
  const timestampDelta = reader.varlong()
  const offsetDelta = reader.varint()
  const key = readNullableBytes(reader, 'record key', keep)
  const value = readNullableBytes(reader, 'record value', keep)
  const headerCount = reader.varint()
  if (headerCount < 0) throw new CorruptBatchError(`negative header count ${headerCount}`)
  const headers: RecordHeader[] = []
  for (let i = 0; i < headerCount; i++) {
    const keyLength = reader.varint()
    if (keyLength < 0) throw new CorruptBatchError(`header key has negative length ${keyLength}`)
    headers.push({
      key: utf8.decode(reader.bytes(keyLength)),
      value: readNullableBytes(reader, 'header value', keep),
    })
  }
  if (reader.position !== end) {
    throw new CorruptBatchError(
      `record declared ${length} bytes but used ${length + reader.position - end}`,
    )
  }
  return {
    offset: header.baseOffset + offsetDelta,
    key,
    value,
    headers,
    // Like Kafka: with LogAppendTime the broker's time lives in maxTimestamp.
    timestamp:
      header.timestampType === 'LogAppendTime'
        ? header.maxTimestamp
        : header.baseTimestamp + timestampDelta,
  }
}

function verifyCrc(bytes: Uint8Array, position: number, header: RecordBatchHeader): void {
  const end = position + header.length + LOG_OVERHEAD
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const stored = view.getUint32(position + CRC_POSITION)
  const computed = crc32c(bytes.subarray(position + ATTRIBUTES_POSITION, end))
  if (stored !== computed) {
    throw new CorruptBatchError(
      `batch at byte ${position} (base offset ${header.baseOffset}) fails its CRC: ` +
        `stored 0x${stored.toString(16).padStart(8, '0')}, computed 0x${computed.toString(16).padStart(8, '0')}`,
    )
  }
}

function decompressed(
  codec: Exclude<(typeof COMPRESSION_CODECS)[number], 'none'>,
  payload: Uint8Array,
  position: number,
): Uint8Array {
  try {
    return decompress(codec, payload)
  } catch (error) {
    if (error instanceof DecompressionError) {
      throw new CorruptBatchError(`batch at byte ${position}: ${error.message}`, { cause: error })
    }
    throw error
  }
}

/**
 * Decodes concatenated batches, each with offsets from its own base offset.
 * Control batches (transaction markers) carry no user records and are skipped.
 * Keys and values are copies: they outlive `bytes` without holding on to it.
 */
export function decodeRecordBatches(bytes: Uint8Array): StoredRecord[] {
  return decodeBatches(bytes, copied)
}

/**
 * decodeRecordBatches for a caller that owns `bytes` and lets go of them with
 * the records, as a read does with what it fetched: keys and values are views
 * into `bytes` (or a batch's decompressed bytes), saving a copy of each.
 */
export function decodeOwnedRecordBatches(bytes: Uint8Array): StoredRecord[] {
  return decodeBatches(bytes, viewed)
}

function decodeBatches(bytes: Uint8Array, keep: KeepBytes): StoredRecord[] {
  const records: StoredRecord[] = []
  let position = 0
  while (position < bytes.length) {
    const header = readBatchHeader(bytes, position)
    const end = position + header.length + LOG_OVERHEAD
    verifyCrc(bytes, position, header)
    const codec = COMPRESSION_CODECS[header.attributes & COMPRESSION_MASK]
    if (codec === undefined) {
      throw new UnsupportedCompressionError(
        `unknown codec ${header.attributes & COMPRESSION_MASK}`,
        header.baseOffset,
      )
    }
    if (!header.isControl) {
      if (header.recordsCount < 0) {
        throw new CorruptBatchError(`batch at byte ${position} has ${header.recordsCount} records`)
      }
      const batchStart = position
      const payload = bytes.subarray(batchStart + RECORD_BATCH_OVERHEAD, end)
      const recordBytes = codec === 'none' ? payload : decompressed(codec, payload, batchStart)
      corruptOnFormatError(batchStart, () => {
        const reader = new ByteReader(recordBytes)
        for (let i = 0; i < header.recordsCount; i++) records.push(readRecord(reader, header, keep))
        if (reader.remaining !== 0) {
          throw new CorruptBatchError(
            `batch at byte ${batchStart} has ${reader.remaining} bytes after its last record`,
          )
        }
      })
    }
    position = end
  }
  return records
}
