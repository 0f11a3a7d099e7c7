import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { DynamoDbIndexRewriter } from '../../../lib/storage/aws/index-rewrite.ts'
import { DynamoDbPartitionLeases } from '../../../lib/storage/aws/leases.ts'
import { DynamoDbLogInventory } from '../../../lib/storage/aws/log-inventory.ts'
import type { PartitionHead, SegmentEntry } from '../../../lib/storage/ports/log.ts'
import type { MaintenanceStoresUnderTest } from '../../contract/maintenance-stores.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'

let shared: Promise<TestStorage> | undefined

/**
 * Maintenance's DynamoDB stores, over tables made once per test file: the
 * contracts give every test topic ids of its own. The log's tables are laid
 * out and read with plain item writes and reads.
 */
export async function openAwsMaintenanceStores(): Promise<MaintenanceStoresUnderTest> {
  shared ??= createTestStorage()
  const { clients, names } = await shared
  const { tables } = names
  const documents = DynamoDBDocumentClient.from(clients.dynamodb)
  return {
    leases: new DynamoDbPartitionLeases(documents, tables.leases),
    rewriter: new DynamoDbIndexRewriter(documents, tables),
    inventory: new DynamoDbLogInventory(documents, tables),
    log: {
      putHead: async (partitionKey, head) => {
        await documents.send(
          new PutCommand({ TableName: tables.partitions, Item: { ...head, partitionKey } }),
        )
      },
      putEntry: async (partitionKey, entry) => {
        await documents.send(
          new PutCommand({ TableName: tables.segments, Item: { ...entry, partitionKey } }),
        )
      },
      head: async (partitionKey) => {
        const { Item } = await documents.send(
          new GetCommand({
            TableName: tables.partitions,
            Key: { partitionKey },
            ProjectionExpression: 'logStartOffset, logEndOffset',
            ConsistentRead: true,
          }),
        )
        return Item as PartitionHead | undefined
      },
      entries: async (partitionKey) => {
        const { Items } = await documents.send(
          new QueryCommand({
            TableName: tables.segments,
            KeyConditionExpression: 'partitionKey = :pk',
            ExpressionAttributeValues: { ':pk': partitionKey },
            ConsistentRead: true,
          }),
        )
        return (Items ?? []).map(({ partitionKey: _, ...entry }) => entry as SegmentEntry)
      },
    },
  }
}
