import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { partitionKey } from '../keys.ts'
import { EMPTY_HEAD, type PartitionHead, type PartitionHeads } from '../ports/log.ts'
import { batchGetItems } from './batch-get.ts'

interface HeadItem extends PartitionHead {
  readonly partitionKey: string
}

/** The partitions table: one head item per partition written at least once. */
export class DynamoDbPartitionHeads implements PartitionHeads {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

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
