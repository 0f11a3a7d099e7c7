/**
 * Checks the RecordBatch bytes a Kafka producer sent for one partition and
 * prepares them for the log as sent: compressed batches stay compressed, and
 * only the fields Kafka's broker itself sets change (base offsets, which are
 * outside the CRC, and the timestamp type of LogAppendTime topics). An
 * idempotent producer's id, epoch and sequences stay in the stored headers.
 */
import type { EncodedRange } from '../../broker/appender.ts'
import { hasCleanupPolicy, topicConfigValue } from '../../broker/topic-configs.ts'
import {
  batchByteLength,
  CorruptBatchError,
  decodeRecordBatches,
  type RecordBatchHeader,
  readBatchHeader,
  stampLogAppendTime,
  withBaseOffset,
} from '../../log/record-batch.ts'
import type { TopicItem } from '../../storage/ports/topics.ts'
import type { ProducerIdentity } from '../../storage/producer-sequences.ts'
import { ErrorCode } from '../protocol/error-codes.ts'
import { producerOfBatches } from './batch-producer.ts'

export interface AcceptedRange {
  readonly ok: true
  /** Carries its sequences exactly when `producer` is set. */
  readonly range: EncodedRange
  /** The idempotent producer session that sent the range, if one did. */
  readonly producer: ProducerIdentity | undefined
  /** Whether the batches were stamped with the append time (LogAppendTime topics). */
  readonly stampedAppendTime: boolean
}

export type PreparedRange =
  | AcceptedRange
  | { readonly ok: false; readonly errorCode: number; readonly message: string }

function refused(errorCode: number, message: string): PreparedRange {
  return { ok: false, errorCode, message }
}

export function prepareProducedBatches(
  topic: TopicItem,
  partition: number,
  records: Uint8Array | null,
  now: number,
): PreparedRange {
  if (records === null || records.length === 0) {
    return refused(ErrorCode.CORRUPT_MESSAGE, 'The produce request holds no record batch.')
  }
  const maxBytes = Number(topicConfigValue(topic.configs, 'max.message.bytes'))
  const compacted = hasCleanupPolicy(topic.configs, 'compact')
  const logAppendTime =
    topicConfigValue(topic.configs, 'message.timestamp.type') === 'LogAppendTime'
  const batches: Buffer[] = []
  const headers: RecordBatchHeader[] = []
  let recordCount = 0
  let minTimestamp = Number.POSITIVE_INFINITY
  let maxTimestamp = Number.NEGATIVE_INFINITY
  try {
    for (let position = 0; position < records.length; ) {
      const header = readBatchHeader(records, position)
      const size = batchByteLength(header)
      const bytes = records.subarray(position, position + size)
      position += size
      if (size > maxBytes) {
        return refused(
          ErrorCode.MESSAGE_TOO_LARGE,
          `A batch of ${size} bytes is larger than the topic's max.message.bytes (${maxBytes}).`,
        )
      }
      if (header.isControl || header.isTransactional) {
        return refused(ErrorCode.INVALID_RECORD, 'Transactional batches are not supported.')
      }
      // Verifies the CRC, decompresses, and reads every record: nothing malformed is stored.
      const decoded = decodeRecordBatches(bytes)
      const contiguous = decoded.every((record, i) => record.offset === header.baseOffset + i)
      if (decoded.length === 0 || header.lastOffsetDelta !== decoded.length - 1 || !contiguous) {
        return refused(ErrorCode.INVALID_RECORD, 'Record offsets in a batch must run 0, 1, 2, ...')
      }
      if (compacted && decoded.some((record) => record.key === null)) {
        return refused(
          ErrorCode.INVALID_RECORD,
          `Topic '${topic.name}' is compacted: every record needs a key.`,
        )
      }
      const batch = withBaseOffset(bytes, recordCount)
      if (logAppendTime) stampLogAppendTime(batch, now)
      for (const record of decoded) {
        minTimestamp = Math.min(minTimestamp, record.timestamp)
        maxTimestamp = Math.max(maxTimestamp, record.timestamp)
      }
      recordCount += decoded.length
      batches.push(batch)
      headers.push(header)
    }
  } catch (error) {
    if (error instanceof CorruptBatchError) return refused(ErrorCode.CORRUPT_MESSAGE, error.message)
    throw error
  }
  const sender = producerOfBatches(partition, headers)
  if (sender.kind === 'refused') return refused(sender.errorCode, sender.message)
  const idempotent = sender.kind === 'idempotent' ? sender : undefined
  return {
    ok: true,
    stampedAppendTime: logAppendTime,
    producer: idempotent?.producer,
    range: {
      partition,
      bytes: Buffer.concat(batches),
      recordCount,
      minTimestamp: logAppendTime ? now : minTimestamp,
      maxTimestamp: logAppendTime ? now : maxTimestamp,
      formats: '',
      sequence: idempotent?.sequence,
    },
  }
}
