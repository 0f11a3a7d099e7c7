import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { backoff } from './backoff.ts'
import { partitionKey } from './keys.ts'

/** Where a partition's log starts and ends; the end is the next offset to be assigned. */
export interface PartitionHead {
  readonly logStartOffset: number
  readonly logEndOffset: number
}

export const EMPTY_HEAD: PartitionHead = { logStartOffset: 0, logEndOffset: 0 }

interface HeadItem extends PartitionHead {
  readonly partitionKey: string
}

const BATCH_GET_LIMIT = 100
const UNPROCESSED_BACKOFF = { baseMs: 20, capMs: 1000 }

export class PartitionHeads {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Strongly consistent heads of the given partitions; a never-written partition is empty. */
  async read(topicId: string, partitions: readonly number[]): Promise<Map<number, PartitionHead>> {
    const byKey = new Map(partitions.map((p) => [partitionKey(topicId, p), p]))
    const heads = new Map<number, PartitionHead>(partitions.map((p) => [p, EMPTY_HEAD]))
    let pending = [...byKey.keys()].map((key) => ({ partitionKey: key }))
    let throttledRounds = 0
    while (pending.length > 0) {
      const chunk = pending.slice(0, BATCH_GET_LIMIT)
      pending = pending.slice(BATCH_GET_LIMIT)
      const response = await this.documents.send(
        new BatchGetCommand({
          RequestItems: { [this.table]: { Keys: chunk, ConsistentRead: true } },
        }),
      )
      for (const item of (response.Responses?.[this.table] ?? []) as HeadItem[]) {
        const partition = byKey.get(item.partitionKey)
        if (partition !== undefined) {
          heads.set(partition, {
            logStartOffset: item.logStartOffset,
            logEndOffset: item.logEndOffset,
          })
        }
      }
      // Throttled keys come back unprocessed; they go round again with the rest.
      const unprocessed = response.UnprocessedKeys?.[this.table]?.Keys ?? []
      if (unprocessed.length > 0) {
        pending.push(...(unprocessed as { partitionKey: string }[]))
        await backoff(throttledRounds++, UNPROCESSED_BACKOFF)
      }
    }
    return heads
  }

  async readOne(topicId: string, partition: number): Promise<PartitionHead> {
    return (await this.read(topicId, [partition])).get(partition) ?? EMPTY_HEAD
  }
}
