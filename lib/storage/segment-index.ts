import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { partitionKey } from './keys.ts'

/**
 * One committed byte range of a partition's log. The bytes are RecordBatch v2
 * batches whose stored offsets are relative to the first batch: the absolute
 * offsets come from `baseOffset`, which is assigned only at commit.
 */
export interface SegmentEntry {
  readonly baseOffset: number
  readonly lastOffset: number
  readonly recordCount: number
  readonly objectKey: string
  readonly byteOffset: number
  readonly byteLength: number
  readonly minTimestamp: number
  readonly maxTimestamp: number
  /** Payload formats of the records, see lib/broker/payload-formats.ts. */
  readonly formats: string
  /**
   * Where batches start inside a segment written by maintenance, so a read can
   * range-GET part of it (offset-index.ts). Absent on ingest ranges and small segments.
   */
  readonly offsetIndex?: string
  /** When the oldest data of the entry was appended, by the broker's clock: a rewrite keeps the earliest of what it replaces. */
  readonly createdAt: number
  /**
   * When the tombstones the entry holds may be removed: `delete.retention.ms`
   * after the compaction pass that first kept them. Absent while no pass has.
   */
  readonly deleteHorizon?: number
}

export interface SegmentItem extends SegmentEntry {
  readonly partitionKey: string
}

export class SegmentIndex {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The entry whose base offset is the greatest one at or below `offset`, if any. */
  async floor(
    topicId: string,
    partition: number,
    offset: number,
  ): Promise<SegmentEntry | undefined> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'partitionKey = :pk AND baseOffset <= :offset',
        ExpressionAttributeValues: { ':pk': partitionKey(topicId, partition), ':offset': offset },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    )
    return Items?.[0] as SegmentEntry | undefined
  }

  /** Up to `limit` entries with base offsets strictly above `offset`, in offset order. */
  async after(
    topicId: string,
    partition: number,
    offset: number,
    limit: number,
  ): Promise<SegmentEntry[]> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'partitionKey = :pk AND baseOffset > :offset',
        ExpressionAttributeValues: { ':pk': partitionKey(topicId, partition), ':offset': offset },
        Limit: limit,
        ConsistentRead: true,
      }),
    )
    return (Items ?? []) as SegmentEntry[]
  }

  /** The entries holding `fromOffset` and everything after it, in offset order, a page at a time. */
  async *scan(topicId: string, partition: number, fromOffset = 0): AsyncGenerator<SegmentEntry> {
    const floor = fromOffset > 0 ? await this.floor(topicId, partition, fromOffset) : undefined
    const start = floor && floor.lastOffset >= fromOffset ? floor.baseOffset : fromOffset
    let startKey: Record<string, unknown> | undefined
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'partitionKey = :pk AND baseOffset >= :from',
          ExpressionAttributeValues: {
            ':pk': partitionKey(topicId, partition),
            ':from': start,
          },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      )
      for (const item of page.Items ?? []) yield item as SegmentEntry
      startKey = page.LastEvaluatedKey
    } while (startKey)
  }
}
