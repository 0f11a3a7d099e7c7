import { BatchWriteCommand, type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb'
import { type BackoffPolicy, backoff } from '../../common/backoff.ts'
import type { LogInventory, SegmentReference } from '../ports/log-inventory.ts'
import type { StorageNames } from '../tables.ts'

/** DynamoDB takes at most 25 writes per BatchWriteItem. */
const BATCH_WRITE_LIMIT = 25
const UNPROCESSED_BACKOFF: BackoffPolicy = { baseMs: 20, capMs: 1000 }

type Key = Record<string, string | number>

/**
 * The log's tables read whole with consistent scans, and a dead partition's
 * items deleted in batches. Scanning the whole segments table is fine at the
 * scale Sluice runs at (see GarbageCollector for what would replace it).
 */
export class DynamoDbLogInventory implements LogInventory {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tables: StorageNames['tables'],
  ) {}

  async *references(): AsyncGenerator<SegmentReference> {
    const projection = 'partitionKey, baseOffset, objectKey'
    for await (const item of this.scan(this.tables.segments, projection)) {
      yield {
        partitionKey: item.partitionKey as string,
        baseOffset: item.baseOffset as number,
        objectKey: item.objectKey as string,
      }
    }
  }

  async *partitionKeys(): AsyncGenerator<string> {
    for (const table of [this.tables.partitions, this.tables.leases]) {
      for await (const item of this.scan(table, 'partitionKey')) {
        yield item.partitionKey as string
      }
    }
  }

  async purge(partitionKey: string, baseOffsets: readonly number[]): Promise<void> {
    const single = [{ partitionKey }]
    await this.deleteItems(
      this.tables.segments,
      baseOffsets.map((baseOffset) => ({ partitionKey, baseOffset })),
    )
    await this.deleteItems(this.tables.partitions, single)
    await this.deleteItems(this.tables.leases, single)
  }

  private async *scan(table: string, projection: string): AsyncGenerator<Record<string, unknown>> {
    const pages = paginateScan(
      { client: this.documents },
      { TableName: table, ProjectionExpression: projection, ConsistentRead: true },
    )
    for await (const page of pages) yield* page.Items ?? []
  }

  private async deleteItems(table: string, keys: readonly Key[]): Promise<void> {
    let pending = keys.map((key) => ({ DeleteRequest: { Key: key } }))
    for (let round = 0; pending.length > 0; ) {
      const batch = pending.slice(0, BATCH_WRITE_LIMIT)
      pending = pending.slice(BATCH_WRITE_LIMIT)
      const { UnprocessedItems } = await this.documents.send(
        new BatchWriteCommand({ RequestItems: { [table]: batch } }),
      )
      // Throttled deletes come back unprocessed; they go round again with the rest.
      const unprocessed = UnprocessedItems?.[table] ?? []
      if (unprocessed.length > 0) {
        pending.push(...(unprocessed as typeof pending))
        await backoff(round++, UNPROCESSED_BACKOFF)
      }
    }
  }
}
