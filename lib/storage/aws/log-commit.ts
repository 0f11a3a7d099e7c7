import { randomUUID } from 'node:crypto'
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb'
import { CommitOutcomeUnknownError } from '../../errors.ts'
import { partitionKey } from '../keys.ts'
import {
  assertCommitFits,
  assertRunFits,
  CommitConflictError,
  type LogCommitter,
  type PartitionAppend,
  type ProducerCommit,
  type SegmentEntry,
} from '../ports/log.ts'
import type { StorageNames } from '../tables.ts'
import { producerCommitItems } from './producers.ts'
import type { SegmentItem } from './segment-index.ts'
import { isDefiniteRefusal } from './service-failures.ts'

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number]

/**
 * Commits appends to several partitions of one topic as one DynamoDB
 * transaction: every head moves from the expected end offset and every index
 * item is new, or nothing changes.
 *
 * The topic item is deliberately not part of the transaction. DynamoDB cancels
 * transactions that touch the same item at once, even through a ConditionCheck,
 * so checking it would serialize every produce to the topic. Heads and index
 * items are keyed by topic id, so a request that commits just after its topic
 * was deleted writes only under the dead id: no reader of a re-created topic can
 * see it, exactly as if it had landed just before the delete.
 */
export class DynamoDbLogCommitter implements LogCommitter {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tables: StorageNames['tables'],
  ) {}

  /** An unknown outcome is one the SDK's own retries could not settle. */
  async commit(
    topicId: string,
    appends: readonly PartitionAppend[],
    now: number,
    producer?: ProducerCommit,
  ): Promise<void> {
    if (appends.length === 0) return
    assertCommitFits(appends, producer !== undefined)
    const items = [
      ...appends.flatMap((append) => this.partitionItems(topicId, append, now)),
      ...(producer
        ? producerCommitItems(
            this.tables.producers,
            producer.identity,
            topicId,
            producer.writes,
            producer.checkEpoch,
            now,
          )
        : []),
    ]
    // Items go two per partition, in the order of the appends (see partitionItems).
    await this.transact(items, (reasons) =>
      appends
        .filter((_, i) => reasons[2 * i] !== 'None' || reasons[2 * i + 1] !== 'None')
        .map((append) => append.partition),
    )
  }

  async commitRun(
    topicId: string,
    partition: number,
    entries: readonly SegmentEntry[],
    now: number,
  ): Promise<void> {
    const [first, ...rest] = entries
    if (!first) return
    assertRunFits(entries)
    const end = (rest.at(-1) ?? first).lastOffset + 1
    const key = partitionKey(topicId, partition)
    const items = [
      ...this.partitionItems(topicId, { partition, entry: first }, now, end),
      ...rest.map((entry) => this.indexItem({ ...entry, partitionKey: key })),
    ]
    await this.transact(items, (reasons) =>
      reasons.some((code) => code !== 'None') ? [partition] : [],
    )
  }

  /**
   * Throws CommitConflictError (naming the partitions whose items `lost`
   * finds in the cancellation reasons) when a condition failed, and
   * CommitOutcomeUnknownError when the answer never came.
   */
  private async transact(
    items: TransactItem[],
    lost: (reasons: readonly string[]) => number[],
  ): Promise<void> {
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: items,
          // The SDK resends this token on its own retries, so a commit whose answer
          // was lost is recognised by DynamoDB instead of landing twice.
          ClientRequestToken: randomUUID(),
        }),
      )
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None')
        throw new CommitConflictError(
          reasons.filter((code) => code !== 'None'),
          lost(reasons),
        )
      }
      if (isDefiniteRefusal(error)) throw error
      throw new CommitOutcomeUnknownError(
        `The commit to the log got no answer (${(error as Error).name}): its records may or may not be stored, and sending them again may store them twice. Produce with a producer id to retry safely.`,
        { cause: error },
      )
    }
  }

  /** The head's move from the entry's base offset to `newEnd` (past the entry by default), and the entry. */
  private partitionItems(
    topicId: string,
    { partition, entry }: PartitionAppend,
    now: number,
    newEnd = entry.lastOffset + 1,
  ) {
    const key = partitionKey(topicId, partition)
    // A partition's head item appears with its first commit: absent means empty.
    const expectation =
      entry.baseOffset === 0
        ? 'attribute_not_exists(partitionKey) OR logEndOffset = :base'
        : 'logEndOffset = :base'
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
      this.indexItem({ ...entry, partitionKey: key }),
    ]
  }

  private indexItem(item: SegmentItem) {
    return {
      Put: {
        TableName: this.tables.segments,
        Item: item,
        ConditionExpression: 'attribute_not_exists(baseOffset)',
      },
    }
  }
}
