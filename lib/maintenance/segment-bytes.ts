import { decodeFormatRuns, type RecordFormats } from '../broker/payload-formats.ts'
import type { StoredRecord, TimestampType } from '../log/record.ts'
import {
  type BatchProducer,
  decodeRecordBatches,
  readBatchHeader,
  withBaseOffset,
} from '../log/record-batch.ts'
import type { SegmentEntry } from '../storage/ports/log.ts'

/** An index entry and the bytes it points to disagree about the offsets they hold. */
export class SegmentMismatchError extends Error {
  override name = 'SegmentMismatchError'
}

/**
 * The batches of an entry's bytes, each copied with its real base offset in
 * place. Ingest ranges are stored from base offset 0 and segments at their real
 * offsets; either way the first batch starts at the entry's base offset.
 */
export function rebasedBatches(entry: SegmentEntry, bytes: Uint8Array): Buffer[] {
  const shift = entry.baseOffset - readBatchHeader(bytes, 0).baseOffset
  const batches: Buffer[] = []
  let lastOffset = -1
  for (let position = 0; position < bytes.length; ) {
    const header = readBatchHeader(bytes, position)
    const end = position + header.length + 12 // the length field counts what follows it
    batches.push(withBaseOffset(bytes.subarray(position, end), header.baseOffset + shift))
    lastOffset = header.baseOffset + shift + header.lastOffsetDelta
    position = end
  }
  if (lastOffset !== entry.lastOffset) {
    throw new SegmentMismatchError(
      `Entry ${entry.baseOffset}-${entry.lastOffset} in ${entry.objectKey} holds batches up to offset ${lastOffset}`,
    )
  }
  return batches
}

/**
 * The batch of an idempotent producer a record was stored in: its producer
 * fields, and the offsets it covers, which fix the sequence of each record
 * (base sequence + offset - base offset).
 */
export interface ProducerBatch extends BatchProducer {
  readonly baseOffset: number
  readonly lastOffset: number
}

/** A record as compaction rewrites it: with its batch's timestamp type and producer, and its payload formats. */
export interface LoggedRecord extends StoredRecord {
  readonly timestampType: TimestampType
  readonly formats: RecordFormats
  /** Absent for a batch without a producer id. */
  readonly producerBatch?: ProducerBatch
}

/** The records of an entry at their real offsets, in log order. */
export function loggedRecords(entry: SegmentEntry, bytes: Uint8Array): LoggedRecord[] {
  const records = rebasedBatches(entry, bytes).flatMap((batch) => {
    const header = readBatchHeader(batch, 0)
    const { timestampType, producerId, producerEpoch, baseSequence, baseOffset } = header
    const producerBatch: ProducerBatch | undefined =
      producerId < 0
        ? undefined
        : {
            producerId,
            producerEpoch,
            baseSequence,
            baseOffset,
            lastOffset: baseOffset + header.lastOffsetDelta,
          }
    return decodeRecordBatches(batch).map((record) => ({
      ...record,
      timestampType,
      ...(producerBatch && { producerBatch }),
    }))
  })
  if (records.length !== entry.recordCount) {
    throw new SegmentMismatchError(
      `Entry ${entry.baseOffset}-${entry.lastOffset} counts ${entry.recordCount} records, its bytes hold ${records.length}`,
    )
  }
  const formats = decodeFormatRuns(entry.formats, records.length)
  return records.map((record, i) => ({ ...record, formats: formats[i] as RecordFormats }))
}
