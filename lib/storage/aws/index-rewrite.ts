import { randomUUID } from 'node:crypto'
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb'
import { type BackoffPolicy, backoff } from '../../common/backoff.ts'
import { partitionKey } from '../keys.ts'
import { CommitConflictError } from '../log-commit.ts'
import type { SegmentEntry, SegmentItem } from '../segment-index.ts'
import type { StorageNames } from '../tables.ts'
import { LeaseLostError, type PartitionLease } from './leases.ts'

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number]

/** DynamoDB caps a transaction at 100 items, and the lease's fence takes one of them. */
export const MAX_ENTRIES_PER_REWRITE = 99

/** An entry a rewrite meant to replace is no longer what was read. Nothing was written. */
export class IndexChangedError extends Error {
  override name = 'IndexChangedError'
}

/** Contention only, e.g. with producers moving the partition head: worth a few quick retries. */
const CONFLICT_RETRIES = 8
const CONFLICT_BACKOFF: BackoffPolicy = { baseMs: 10, capMs: 500 }

/** A condition that holds only while the item is exactly the entry read. */
function unchanged(entry: SegmentEntry) {
  return {
    ConditionExpression:
      'objectKey = :objectKey AND byteOffset = :byteOffset AND lastOffset = :lastOffset',
    ExpressionAttributeValues: {
      ':objectKey': entry.objectKey,
      ':byteOffset': entry.byteOffset,
      ':lastOffset': entry.lastOffset,
    },
  }
}

/**
 * Changes to a partition's index, each one DynamoDB transaction conditioned on
 * the lease (its holder and epoch) and on the exact items it replaces, so a
 * run that lost its lease, or that read an index someone else has changed
 * since, changes nothing.
 */
export class IndexRewriter {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tables: StorageNames['tables'],
  ) {}

  /**
   * Puts `replacement` in place of consecutive entries that it covers exactly,
   * under the first one's key: a reader finds the same offsets either way.
   */
  async replace(
    lease: PartitionLease,
    topicId: string,
    partition: number,
    replaced: readonly SegmentEntry[],
    replacement: SegmentEntry,
  ): Promise<void> {
    const [first, ...rest] = replaced
    if (!first || replaced.length > MAX_ENTRIES_PER_REWRITE) {
      throw new RangeError(`A rewrite replaces 1 to ${MAX_ENTRIES_PER_REWRITE} entries`)
    }
    if (
      replacement.baseOffset !== first.baseOffset ||
      replacement.lastOffset !== (rest.at(-1) ?? first).lastOffset
    ) {
      throw new RangeError(
        'A replacement must cover exactly the offsets of the entries it replaces',
      )
    }
    const key = partitionKey(topicId, partition)
    const item: SegmentItem = { ...replacement, partitionKey: key }
    await this.transact(lease, [
      { Put: { TableName: this.tables.segments, Item: item, ...unchanged(first) } },
      ...rest.map((entry) => this.deletion(key, entry)),
    ])
  }

  /** Deletes entries below the log start. */
  async remove(
    lease: PartitionLease,
    topicId: string,
    partition: number,
    removed: readonly SegmentEntry[],
  ): Promise<void> {
    if (removed.length === 0 || removed.length > MAX_ENTRIES_PER_REWRITE) {
      throw new RangeError(`A rewrite removes 1 to ${MAX_ENTRIES_PER_REWRITE} entries`)
    }
    const key = partitionKey(topicId, partition)
    await this.transact(
      lease,
      removed.map((entry) => this.deletion(key, entry)),
    )
  }

  /** Moves the partition's log start forward to `logStartOffset`; never back, never past the end. */
  async advanceLogStart(
    lease: PartitionLease,
    topicId: string,
    partition: number,
    logStartOffset: number,
  ): Promise<void> {
    await this.transact(lease, [
      {
        Update: {
          TableName: this.tables.partitions,
          Key: { partitionKey: partitionKey(topicId, partition) },
          UpdateExpression: 'SET logStartOffset = :start',
          ConditionExpression: 'logStartOffset < :start AND logEndOffset >= :start',
          ExpressionAttributeValues: { ':start': logStartOffset },
        },
      },
    ])
  }

  private deletion(key: string, entry: SegmentEntry): TransactItem {
    return {
      Delete: {
        TableName: this.tables.segments,
        Key: { partitionKey: key, baseOffset: entry.baseOffset },
        ...unchanged(entry),
      },
    }
  }

  private async transact(lease: PartitionLease, items: readonly TransactItem[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: [lease.fence(), ...items],
            // Resent by the SDK on its own retries, so a lost answer cannot apply the rewrite twice.
            ClientRequestToken: randomUUID(),
          }),
        )
        return
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error
        const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None')
        if (codes[0] === 'ConditionalCheckFailed') throw new LeaseLostError(lease.partitionKey)
        if (codes.includes('ConditionalCheckFailed')) {
          throw new IndexChangedError(
            `The index of ${lease.partitionKey} changed under a rewrite (${codes.join(', ')})`,
          )
        }
        if (attempt >= CONFLICT_RETRIES) {
          throw new CommitConflictError(codes.filter((code) => code !== 'None'))
        }
        await backoff(attempt, CONFLICT_BACKOFF)
      }
    }
  }
}
