import {
  InvalidRecordError,
  PartitionNotFoundError,
  RecordTooLargeError,
  type SluiceError,
} from '../errors.ts'
import { recordBatchSize } from '../log/record-batch.ts'
import type { TopicItem } from '../storage/ports/topics.ts'
import type { ProduceRecord } from './produce-record.ts'
import { hasCleanupPolicy, topicConfigValue } from './topic-configs.ts'

export interface RecordRejection {
  readonly index: number
  readonly error: SluiceError
}

/**
 * What the topic would refuse in each record, before anything is written: a
 * partition it does not have, a record larger than its `max.message.bytes`
 * (which Kafka applies to the batch a record travels in, header included), or
 * a record without a key on a compacted topic, which compaction could never
 * tell apart from others.
 */
export function checkRecords(
  topic: TopicItem,
  records: readonly ProduceRecord[],
): RecordRejection[] {
  const maxBytes = Number(topicConfigValue(topic.configs, 'max.message.bytes'))
  const compacted = hasCleanupPolicy(topic.configs, 'compact')
  const rejections: RecordRejection[] = []
  records.forEach((record, index) => {
    const { partition } = record
    if (
      partition !== undefined &&
      (!Number.isInteger(partition) || partition < 0 || partition >= topic.partitionsCount)
    ) {
      rejections.push({ index, error: new PartitionNotFoundError(topic.name, partition) })
      return
    }
    if (compacted && record.key === null) {
      rejections.push({
        index,
        error: new InvalidRecordError(
          `Topic '${topic.name}' is compacted: every record needs a key.`,
        ),
      })
      return
    }
    const size = recordBatchSize(
      [
        {
          key: record.key?.bytes ?? null,
          value: record.value?.bytes ?? null,
          headers: record.headers,
          timestamp: record.timestamp ?? 0,
        },
      ],
      { timestampType: 'CreateTime' },
    )
    if (size > maxBytes) {
      rejections.push({
        index,
        error: new RecordTooLargeError(
          `Record is ${size} bytes in its batch, larger than the topic's max.message.bytes (${maxBytes}).`,
        ),
      })
    }
  })
  return rejections
}
