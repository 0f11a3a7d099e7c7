import { randomUUID } from 'node:crypto'
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { backoff } from '../common/backoff.ts'
import { RetriableStorageError } from '../errors.ts'
import { itemsUnder } from '../storage/query-items.ts'
import { isLostRace, type TransactItem } from './group-store.ts'
import { type PartitionKey, partitionKeyOf } from './topic-partitions.ts'

/** A committed offset: the next offset the group reads in the partition, as in Kafka. */
export interface CommittedOffset {
  readonly topic: string
  readonly partition: number
  /** The topic the offset was committed for: a re-created topic does not inherit it. */
  readonly topicId: string
  readonly offset: number
  readonly metadata: string
  readonly committedAt: number
}

/** The fence of a commit refused it: the committer may not commit these partitions. */
export class FenceRejectedError extends Error {
  override name = 'FenceRejectedError'
}

/** Offsets go in transactions of at most 100 items, one of them the fence. */
const ITEMS_PER_TRANSACTION = 99
const CONFLICT_RETRIES = 5
const CONFLICT_BACKOFF = { baseMs: 20, capMs: 500 }

/** The offsets table: one item per (group, topic, partition). */
export class OffsetStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Writes offsets together with a fence item built for the partitions of each
   * transaction. Offsets are written in transactions of 99: a commit of more
   * partitions can land in part if its fence fails half-way, as each partition's
   * offset stands on its own.
   */
  async commit(
    groupId: string,
    offsets: readonly CommittedOffset[],
    fence: (partitions: readonly PartitionKey[]) => TransactItem,
  ): Promise<void> {
    for (let start = 0; start < offsets.length; start += ITEMS_PER_TRANSACTION) {
      const chunk = offsets.slice(start, start + ITEMS_PER_TRANSACTION)
      const keys = chunk.map(partitionKeyOf)
      await this.transact([
        fence(keys),
        ...chunk.map((offset, i) => ({
          Put: { TableName: this.table, Item: { ...offset, groupId, partitionKey: keys[i] } },
        })),
      ])
    }
  }

  async list(groupId: string): Promise<CommittedOffset[]> {
    const offsets: CommittedOffset[] = []
    for await (const item of itemsUnder(this.documents, this.table, { groupId })) {
      const { groupId: _group, partitionKey: _key, ...offset } = item
      offsets.push(offset as CommittedOffset)
    }
    return offsets
  }

  /**
   * Deletes offsets, and with the last of them writes `finish` (say, the
   * group's deletion): each transaction before it is guarded by `fence`, and
   * the last one by `finish` itself, so nothing lands once either fails.
   */
  async removeThen(
    groupId: string,
    partitions: readonly PartitionKey[],
    fence: TransactItem,
    finish: TransactItem,
  ): Promise<void> {
    let start = 0
    do {
      const chunk = partitions.slice(start, start + ITEMS_PER_TRANSACTION)
      start += ITEMS_PER_TRANSACTION
      await this.transact([
        start >= partitions.length ? finish : fence,
        ...chunk.map((key) => ({
          Delete: { TableName: this.table, Key: { groupId, partitionKey: key } },
        })),
      ])
    } while (start < partitions.length)
  }

  /** Runs a fenced transaction; the fence is the first item. A lost race is tried again. */
  private async transact(items: TransactItem[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.documents.send(
          // The SDK resends the token on its own retries: a commit whose answer was lost lands once.
          new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() }),
        )
        return
      } catch (error) {
        if (
          error instanceof TransactionCanceledException &&
          error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
        ) {
          throw new FenceRejectedError('The fence of an offset transaction failed')
        }
        if (!isLostRace(error)) throw error
        if (attempt >= CONFLICT_RETRIES) {
          throw new RetriableStorageError(
            'Offsets are contended by concurrent writes; retry the request.',
          )
        }
        await backoff(attempt, CONFLICT_BACKOFF)
      }
    }
  }
}
