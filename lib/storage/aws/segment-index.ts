import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { partitionKey } from '../keys.ts'
import { type SegmentEntry, type SegmentIndex, scanStart } from '../ports/log.ts'

/** An index entry as stored: under its partition's key. */
export interface SegmentItem extends SegmentEntry {
  readonly partitionKey: string
}

/** The entry an item stores, without the key it is stored under. */
function entryOf(item: Record<string, unknown>): SegmentEntry {
  const { partitionKey: _, ...entry } = item as unknown as SegmentItem
  return entry
}

/** The segments table: one item per committed range, keyed by partition and base offset. */
export class DynamoDbSegmentIndex implements SegmentIndex {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

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
    const [item] = Items ?? []
    return item && entryOf(item)
  }

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
    return (Items ?? []).map(entryOf)
  }

  /** A page at a time. */
  async *scan(topicId: string, partition: number, fromOffset = 0): AsyncGenerator<SegmentEntry> {
    const floor = fromOffset > 0 ? await this.floor(topicId, partition, fromOffset) : undefined
    const start = scanStart(floor, fromOffset)
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
      for (const item of page.Items ?? []) yield entryOf(item)
      startKey = page.LastEvaluatedKey
    } while (startKey)
  }
}
