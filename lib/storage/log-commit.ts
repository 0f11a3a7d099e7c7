import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { TopicNotFoundError } from '../errors.ts'
import { partitionKey } from './keys.ts'
import type { SegmentEntry, SegmentItem } from './segment-index.ts'
import type { StorageNames } from './tables.ts'

/** A range to append to one partition, at the log end offset its writer last read. */
export interface PartitionAppend {
  readonly partition: number
  readonly entry: SegmentEntry
}

export interface CommitTopic {
  readonly name: string
  readonly topicId: string
}

/** Each partition costs two transaction items (head + index), the topic check one more. */
export const MAX_PARTITIONS_PER_COMMIT = 49

/**
 * Another writer moved a partition head first, or DynamoDB saw a conflicting
 * transaction. Nothing was written; the caller re-reads the heads and retries.
 */
export class CommitConflictError extends Error {
  override name = 'CommitConflictError'
  constructor(readonly reasons: readonly string[]) {
    super(`Commit lost a race (${reasons.join(', ')})`)
  }
}

/**
 * Commits appends to several partitions of one topic as one DynamoDB
 * transaction: every head moves from the expected end offset, every index item
 * is new, and the topic still has the id the writer saw — or nothing changes.
 */
export class LogCommitter {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tables: StorageNames['tables'],
  ) {}

  async commit(
    topic: CommitTopic,
    appends: readonly PartitionAppend[],
    now: number,
  ): Promise<void> {
    if (appends.length === 0) return
    if (appends.length > MAX_PARTITIONS_PER_COMMIT) {
      throw new RangeError(`A commit holds at most ${MAX_PARTITIONS_PER_COMMIT} partitions`)
    }
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.tables.topics,
                Key: { name: topic.name },
                ConditionExpression: 'topicId = :topicId',
                ExpressionAttributeValues: { ':topicId': topic.topicId },
              },
            },
            ...appends.flatMap((append) => this.partitionItems(topic.topicId, append, now)),
          ],
        }),
      )
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error
      const reasons = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None')
      if (reasons[0] === 'ConditionalCheckFailed') throw new TopicNotFoundError(topic.name)
      throw new CommitConflictError(reasons.filter((code) => code !== 'None'))
    }
  }

  private partitionItems(topicId: string, { partition, entry }: PartitionAppend, now: number) {
    const key = partitionKey(topicId, partition)
    const newEnd = entry.lastOffset + 1
    // A partition's head item appears with its first commit: absent means empty.
    const expectation =
      entry.baseOffset === 0
        ? 'attribute_not_exists(partitionKey) OR logEndOffset = :base'
        : 'logEndOffset = :base'
    const item: SegmentItem = { ...entry, partitionKey: key }
    return [
      {
        Update: {
          TableName: this.tables.partitions,
          Key: { partitionKey: key },
          UpdateExpression:
            'SET logEndOffset = :end, logStartOffset = if_not_exists(logStartOffset, :zero), updatedAt = :now',
          ConditionExpression: expectation,
          ExpressionAttributeValues: {
            ':base': entry.baseOffset,
            ':end': newEnd,
            ':zero': 0,
            ':now': now,
          },
        },
      },
      {
        Put: {
          TableName: this.tables.segments,
          Item: item,
          ConditionExpression: 'attribute_not_exists(baseOffset)',
        },
      },
    ]
  }
}
