import { randomUUID } from 'node:crypto'
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb'
import { type BackoffPolicy, backoff } from '../../common/backoff.ts'
import { partitionKey } from '../keys.ts'
import {
  checkRemoval,
  checkReplacement,
  IndexChangedError,
  type IndexRewriter,
} from '../ports/index-rewrite.ts'
import { type HeldLease, LeaseLostError } from '../ports/leases.ts'
import { CommitConflictError, type SegmentEntry } from '../ports/log.ts'
import type { StorageNames } from '../tables.ts'
import { heldCondition } from './leases.ts'
import type { SegmentItem } from './segment-index.ts'

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number]

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
 * Index rewrites as DynamoDB transactions whose first item checks the lease
 * item's holder and epoch, and whose other items are conditioned on the exact
 * items they replace. The cancellation reasons tell the two refusals apart.
 */
export class DynamoDbIndexRewriter implements IndexRewriter {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tables: StorageNames['tables'],
  ) {}

  async replace(
    lease: HeldLease,
    topicId: string,
    partition: number,
    replaced: readonly SegmentEntry[],
    replacement: SegmentEntry,
  ): Promise<void> {
    checkReplacement(replaced, replacement)
    const [first, ...rest] = replaced
    const key = partitionKey(topicId, partition)
    const item: SegmentItem = { ...replacement, partitionKey: key }
    await this.transact(lease, [
      { Put: { TableName: this.tables.segments, Item: item, ...unchanged(first) } },
      ...rest.map((entry) => this.deletion(key, entry)),
    ])
  }

  async remove(
    lease: HeldLease,
    topicId: string,
    partition: number,
    removed: readonly SegmentEntry[],
  ): Promise<void> {
    checkRemoval(removed)
    const key = partitionKey(topicId, partition)
    await this.transact(
      lease,
      removed.map((entry) => this.deletion(key, entry)),
    )
  }

  async advanceLogStart(
    lease: HeldLease,
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

  /** A transaction item that cancels the transaction unless the lease still holds. */
  private fence(lease: HeldLease): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.tables.leases,
        Key: { partitionKey: lease.partitionKey },
        ...heldCondition(lease),
      },
    }
  }

  private async transact(lease: HeldLease, items: readonly TransactItem[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: [this.fence(lease), ...items],
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
