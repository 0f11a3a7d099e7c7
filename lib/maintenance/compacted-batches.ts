import {
  encodeEmptyRecordBatch,
  encodeRecordBatch,
  RECORD_BATCH_OVERHEAD,
  recordSizeInBatch,
} from '../log/record-batch.ts'
import type { LoggedRecord, ProducerBatch } from './segment-bytes.ts'

/** The offsets a compacted segment covers and the records left in them. */
export interface CompactedSpan {
  readonly baseOffset: number
  readonly lastOffset: number
  /** In offset order, all within the span. */
  readonly survivors: readonly LoggedRecord[]
  /** Kept in the header of the empty batches written over offsets no kept batch covers. */
  readonly maxTimestamp: number
}

/** A batch to write: its records and the offsets it covers. */
interface PlannedBatch {
  readonly records: LoggedRecord[]
  baseOffset: number
  lastOffset: number
  /** The producer batch it keeps; such a batch covers exactly that batch's offsets. */
  readonly producer: ProducerBatch | undefined
}

/**
 * Encodes what compaction kept of a span as batches that cover the whole span
 * between them, offsets unchanged: the gaps left by removed records sit inside
 * batches (a batch may start before its first record and end after its last),
 * so the segment starts at the span's first offset and ends at its last, and a
 * reader moves through removed offsets to the next survivor.
 *
 * What an idempotent producer wrote keeps its batches, as Kafka's cleaner
 * keeps them: producer id, epoch and base sequence, and the batch's base and
 * last offsets, so each record's sequence (base sequence + offset delta) and
 * the batch's last sequence stay what they were. Other records are regrouped:
 * they share a batch if they share its timestamp type and, with
 * LogAppendTime, the append time the batch header carries for all of them;
 * their batches stretch over removed offsets, and where only producer
 * batches border removed offsets an empty batch covers them.
 */
export function encodeCompactedSpan(span: CompactedSpan, maxBatchBytes: number): Buffer {
  return Buffer.concat(
    tiled(span, planBatches(span.survivors, maxBatchBytes)).map((batch) =>
      encodePlanned(batch, span.maxTimestamp),
    ),
  )
}

function encodePlanned(batch: PlannedBatch, emptyMaxTimestamp: number): Buffer {
  const { records, baseOffset, producer } = batch
  const lastOffsetDelta = batch.lastOffset - baseOffset
  const first = records[0]
  if (first === undefined) {
    return encodeEmptyRecordBatch({
      baseOffset,
      lastOffsetDelta,
      timestampType: 'CreateTime',
      maxTimestamp: emptyMaxTimestamp,
    })
  }
  return encodeRecordBatch(records, {
    timestampType: first.timestampType,
    appendTime: first.timestamp,
    placement: {
      baseOffset,
      lastOffsetDelta,
      offsetDeltas: records.map((record) => record.offset - baseOffset),
    },
    ...(producer && {
      producer: {
        producerId: producer.producerId,
        producerEpoch: producer.producerEpoch,
        baseSequence: producer.baseSequence,
      },
    }),
  })
}

/** The survivors grouped into batches, each covering only its own records (or its producer batch). */
function planBatches(survivors: readonly LoggedRecord[], maxBatchBytes: number): PlannedBatch[] {
  const batches: PlannedBatch[] = []
  let size = 0
  for (const record of survivors) {
    const current = batches.at(-1)
    // Deltas only change a record's size by a few varint bytes: a close enough measure for a cap.
    const recordSize = recordSizeInBatch(record, 0, 0)
    if (current && joins(current, record, size + recordSize, maxBatchBytes)) {
      current.records.push(record)
      if (!current.producer) current.lastOffset = record.offset
      size += recordSize
      continue
    }
    const { producerBatch } = record
    batches.push({
      records: [record],
      baseOffset: producerBatch?.baseOffset ?? record.offset,
      lastOffset: producerBatch?.lastOffset ?? record.offset,
      producer: producerBatch,
    })
    size = RECORD_BATCH_OVERHEAD + recordSize
  }
  return batches
}

function joins(batch: PlannedBatch, record: LoggedRecord, size: number, maxBytes: number): boolean {
  const { producer } = batch
  const { producerBatch } = record
  if (producer || producerBatch) {
    return (
      producer?.producerId === producerBatch?.producerId &&
      producer?.baseOffset === producerBatch?.baseOffset
    )
  }
  const first = batch.records[0] as LoggedRecord
  return (
    record.timestampType === first.timestampType &&
    (record.timestampType === 'CreateTime' || record.timestamp === first.timestamp) &&
    size <= maxBytes
  )
}

/**
 * The batches laid over the whole span: a regrouped batch stretches back over
 * the removed offsets before it, or forward over those after it when a
 * producer batch follows; an empty batch fills what neither may cover.
 */
function tiled(span: CompactedSpan, batches: readonly PlannedBatch[]): PlannedBatch[] {
  const laid: PlannedBatch[] = []
  const empty = (baseOffset: number, lastOffset: number): PlannedBatch => ({
    records: [],
    baseOffset,
    lastOffset,
    producer: undefined,
  })
  let next = span.baseOffset
  for (const batch of batches) {
    if (batch.baseOffset > next) {
      const previous = laid.at(-1)
      if (!batch.producer) batch.baseOffset = next
      else if (previous && !previous.producer) previous.lastOffset = batch.baseOffset - 1
      else laid.push(empty(next, batch.baseOffset - 1))
    }
    laid.push(batch)
    next = batch.lastOffset + 1
  }
  if (next <= span.lastOffset) {
    const last = laid.at(-1)
    if (last && !last.producer) last.lastOffset = span.lastOffset
    else laid.push(empty(next, span.lastOffset))
  }
  return laid
}
