import { randomUUID } from 'node:crypto'
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { backoff } from '../../common/backoff.ts'
import { RetriableStorageError } from '../../errors.ts'
import { type PartitionKey, partitionKeyOf } from '../../groups/topic-partitions.ts'
import {
  type CommittedOffset,
  FenceRejectedError,
  type GroupDeletion,
  type OffsetFence,
  type OffsetStore,
} from '../ports/offsets.ts'
import { type DynamoDbGroupStore, isLostRace, type TransactItem } from './groups.ts'
import { itemsUnder } from './query-items.ts'

/** Offsets go in transactions of at most 100 items, one of them the fence. */
const ITEMS_PER_TRANSACTION = 99
/**
 * A member's fence names each partition in its condition, about 60 characters
 * apiece, and a condition expression may not pass 4 KB: its commits go 50 to a transaction.
 */
const MEMBER_FENCED_PER_TRANSACTION = 50
const CONFLICT_RETRIES = 5
const CONFLICT_BACKOFF = { baseMs: 20, capMs: 500 }

/**
 * The offsets table: one item per (group, topic, partition). Its transactions
 * carry, as their first item, a fence on the groups table.
 */
export class DynamoDbOffsetStore implements OffsetStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly groups: DynamoDbGroupStore,
  ) {}

  /** Offsets are written in transactions of up to 99, each with the fence checked for its partitions. */
  async commit(
    groupId: string,
    offsets: readonly CommittedOffset[],
    fence: OffsetFence,
  ): Promise<void> {
    const size = fence.kind === 'member' ? MEMBER_FENCED_PER_TRANSACTION : ITEMS_PER_TRANSACTION
    for (let start = 0; start < offsets.length; start += size) {
      const chunk = offsets.slice(start, start + size)
      const keys = chunk.map(partitionKeyOf)
      await this.transact([
        this.fenceItem(groupId, fence, keys),
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
   * Deletes offsets 99 to a transaction, and with the last of them the group
   * item: each transaction before it is guarded by a check that the group is
   * unchanged, and the last one by the deletion's own condition, so nothing
   * lands once either fails.
   */
  async deleteGroup(groupId: string, { version, partitions }: GroupDeletion): Promise<void> {
    let start = 0
    do {
      const chunk = partitions.slice(start, start + ITEMS_PER_TRANSACTION)
      start += ITEMS_PER_TRANSACTION
      await this.transact([
        start >= partitions.length
          ? this.groups.groupDeletion(groupId, version)
          : this.groups.unchangedEmptyGroupCheck(groupId, version),
        ...chunk.map((key) => ({
          Delete: { TableName: this.table, Key: { groupId, partitionKey: key } },
        })),
      ])
    } while (start < partitions.length)
  }

  private fenceItem(
    groupId: string,
    fence: OffsetFence,
    partitions: readonly PartitionKey[],
  ): TransactItem {
    return fence.kind === 'member'
      ? this.groups.memberFence(groupId, fence.memberId, fence.memberEpoch, partitions, fence.at)
      : this.groups.emptyGroupFence(groupId, fence.at)
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
