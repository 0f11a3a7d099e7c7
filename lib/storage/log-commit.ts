import { randomUUID } from 'node:crypto'
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb'
import { CommitOutcomeUnknownError } from '../errors.ts'
import { partitionKey } from './keys.ts'
import type { ProducerIdentity } from './producer-sequences.ts'
import { type ProducerStateWrite, producerCommitItems } from './producer-table.ts'
import type { SegmentEntry, SegmentItem } from './segment-index.ts'
import { isDefiniteRefusal } from './storage-errors.ts'
import type { StorageNames } from './tables.ts'

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number]

/** A range to append to one partition, at the log end offset its writer last read. */
export interface PartitionAppend {
  readonly partition: number
  readonly entry: SegmentEntry
}

/** DynamoDB caps a transaction at 100 items; each partition costs two (head + index). */
export const MAX_PARTITIONS_PER_COMMIT = 50

/** A run of one partition's ranges costs its head plus an index item each. */
export const MAX_ENTRIES_PER_RUN = 99

/**
 * With a producer id each partition costs three (head, index, producer state),
 * plus one check of the producer's epoch: 3 × 33 + 1 = 100.
 */
export const MAX_IDEMPOTENT_PARTITIONS_PER_COMMIT = 33

/** The producer side of an idempotent commit. */
export interface ProducerCommit {
  readonly identity: ProducerIdentity
  /** One per append, for the same partitions. */
  readonly writes: readonly ProducerStateWrite[]
  /** Whether the producer's epoch must still be current (its first write to some partition). */
  readonly checkEpoch: boolean
}

/**
 * Another writer moved a partition head first, or DynamoDB saw a conflicting
 * transaction. Nothing was written; the caller re-reads the heads and retries.
 */
export class CommitConflictError extends Error {
  override name = 'CommitConflictError'
  constructor(
    readonly reasons: readonly string[],
    /** The partitions whose head or index item the cancellation names. */
    readonly partitions: readonly number[] = [],
  ) {
    super(`Commit lost a race (${reasons.join(', ')})`)
  }
}

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
export class LogCommitter {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tables: StorageNames['tables'],
  ) {}

  /**
   * Throws CommitConflictError when nothing was written because a condition
   * failed, and CommitOutcomeUnknownError when the answer never came (after
   * the SDK's own retries), so the transaction may or may not have landed.
   */
  async commit(
    topicId: string,
    appends: readonly PartitionAppend[],
    now: number,
    producer?: ProducerCommit,
  ): Promise<void> {
    if (appends.length === 0) return
    const limit = producer ? MAX_IDEMPOTENT_PARTITIONS_PER_COMMIT : MAX_PARTITIONS_PER_COMMIT
    if (appends.length > limit) throw new RangeError(`A commit holds at most ${limit} partitions`)
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

  /**
   * Commits consecutive ranges of one partition, each its own index item, in
   * one transaction that moves the head once, from the first range's base
   * offset to past the last one's: several requests' appends committed together.
   */
  async commitRun(
    topicId: string,
    partition: number,
    entries: readonly SegmentEntry[],
    now: number,
  ): Promise<void> {
    const [first, ...rest] = entries
    if (!first) return
    if (entries.length > MAX_ENTRIES_PER_RUN) {
      throw new RangeError(`A run commits at most ${MAX_ENTRIES_PER_RUN} ranges`)
    }
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
