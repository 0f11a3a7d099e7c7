import {
  encodeEmptyRecordBatch,
  encodeRecordBatch,
  RECORD_BATCH_OVERHEAD,
  recordSizeInBatch,
} from '../log/record-batch.ts'
import type { LoggedRecord } from './segment-bytes.ts'

/** The offsets a compacted segment covers and the records left in them. */
export interface CompactedSpan {
  readonly baseOffset: number
  readonly lastOffset: number
  /** In offset order, all within the span. */
  readonly survivors: readonly LoggedRecord[]
  /** Kept in the header of the empty batch written when no record survives. */
  readonly maxTimestamp: number
}

/**
 * Encodes what compaction kept of a span as batches that cover the whole span
 * between them, offsets unchanged: the gaps left by removed records sit inside
 * batches (a batch may start before its first record and end after its last),
 * so the segment starts at the span's first offset and ends at its last, and a
 * reader moves through removed offsets to the next survivor. Records share a
 * batch only if they share its timestamp type, and, with LogAppendTime, the
 * append time the batch header carries for all of them.
 */
export function encodeCompactedSpan(span: CompactedSpan, maxBatchBytes: number): Buffer {
  if (span.survivors.length === 0) {
    return encodeEmptyRecordBatch({
      baseOffset: span.baseOffset,
      lastOffsetDelta: span.lastOffset - span.baseOffset,
      timestampType: 'CreateTime',
      maxTimestamp: span.maxTimestamp,
    })
  }
  const groups = batchGroups(span.survivors, maxBatchBytes)
  let baseOffset = span.baseOffset
  return Buffer.concat(
    groups.map((group, i) => {
      const first = group[0] as LoggedRecord
      const lastRecord = group.at(-1) as LoggedRecord
      const lastOffset = i === groups.length - 1 ? span.lastOffset : lastRecord.offset
      const batch = encodeRecordBatch(group, {
        timestampType: first.timestampType,
        appendTime: first.timestamp,
        placement: {
          baseOffset,
          lastOffsetDelta: lastOffset - baseOffset,
          offsetDeltas: group.map((record) => record.offset - baseOffset),
        },
      })
      baseOffset = lastOffset + 1
      return batch
    }),
  )
}

function batchGroups(survivors: readonly LoggedRecord[], maxBatchBytes: number): LoggedRecord[][] {
  const groups: LoggedRecord[][] = []
  let group: LoggedRecord[] = []
  let size = RECORD_BATCH_OVERHEAD
  for (const record of survivors) {
    const first = group[0]
    // Deltas only change a record's size by a few varint bytes: a close enough measure for a cap.
    const recordSize = recordSizeInBatch(record, 0, 0)
    const separate =
      first !== undefined &&
      (record.timestampType !== first.timestampType ||
        (record.timestampType === 'LogAppendTime' && record.timestamp !== first.timestamp) ||
        size + recordSize > maxBatchBytes)
    if (separate) {
      groups.push(group)
      group = []
      size = RECORD_BATCH_OVERHEAD
    }
    group.push(record)
    size += recordSize
  }
  groups.push(group)
  return groups
}
