import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { batchGetItems } from './batch-get.ts'
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

export class PartitionHeads {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Strongly consistent heads of the given partitions; a never-written partition is empty. */
  async read(topicId: string, partitions: readonly number[]): Promise<Map<number, PartitionHead>> {
    const byKey = new Map(partitions.map((p) => [partitionKey(topicId, p), p]))
    const heads = new Map<number, PartitionHead>(partitions.map((p) => [p, EMPTY_HEAD]))
    const keys = [...byKey.keys()].map((key) => ({ partitionKey: key }))
    for (const item of (await batchGetItems(this.documents, this.table, keys)) as HeadItem[]) {
      const partition = byKey.get(item.partitionKey)
      if (partition !== undefined) {
        heads.set(partition, {
          logStartOffset: item.logStartOffset,
          logEndOffset: item.logEndOffset,
        })
      }
    }
    return heads
  }

  async readOne(topicId: string, partition: number): Promise<PartitionHead> {
    return (await this.read(topicId, [partition])).get(partition) ?? EMPTY_HEAD
  }
}
