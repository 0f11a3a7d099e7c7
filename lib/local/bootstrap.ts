import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb'
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  type BucketLocationConstraint,
  CreateBucketCommand,
  HeadBucketCommand,
  type S3Client,
} from '@aws-sdk/client-s3'
import type { AwsClients } from '../storage/aws/clients.ts'
import {
  type StorageNames,
  type TableDefinition,
  type TableId,
  tableDefinitions,
} from '../storage/tables.ts'

// The waiter's default 20 s between polls is far longer than a table takes to
// become ACTIVE on any engine.
const tableWaiterTiming = { maxWaitTime: 300, minDelay: 1, maxDelay: 5 }

/**
 * Creates the tables and the bucket named by `names`, leaving any that already
 * exist alone. Works against DynamoDB Local and s3rver as well as LocalStack
 * and AWS, and resolves once everything can be used.
 */
export async function bootstrapStorage(clients: AwsClients, names: StorageNames): Promise<void> {
  const definitions: Record<TableId, TableDefinition> = tableDefinitions
  await Promise.all([
    ...Object.entries(names.tables).map(([id, tableName]) =>
      ensureTable(clients.dynamodb, tableName, definitions[id as TableId]),
    ),
    ensureBucket(clients.s3, names.bucket),
  ])
}

/** Creates one table (PAY_PER_REQUEST) unless it exists, and waits until it is ACTIVE. */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  definition: TableDefinition,
): Promise<void> {
  const keys = [definition.partitionKey, ...(definition.sortKey ? [definition.sortKey] : [])]
  const keySchema: KeySchemaElement[] = keys.map((key, index) => ({
    AttributeName: key.name,
    KeyType: index === 0 ? 'HASH' : 'RANGE',
  }))
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keys.map((key) => ({
          AttributeName: key.name,
          AttributeType: key.type,
        })),
        KeySchema: keySchema,
      }),
    )
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error
  }
  await waitUntilTableExists({ client, ...tableWaiterTiming }, { TableName: tableName })
  if (definition.timeToLiveAttribute !== undefined) {
    await ensureTimeToLive(client, tableName, definition.timeToLiveAttribute)
  }
}

async function ensureTimeToLive(
  client: DynamoDBClient,
  tableName: string,
  attributeName: string,
): Promise<void> {
  const { TimeToLiveDescription: current } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  )
  const enabled =
    current?.TimeToLiveStatus === 'ENABLED' || current?.TimeToLiveStatus === 'ENABLING'
  // Enabling TTL a second time is a ValidationException on AWS.
  if (enabled && current?.AttributeName === attributeName) return
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: attributeName },
    }),
  )
}

async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  const region = await client.config.region()
  try {
    await client.send(
      new CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 is the one region that rejects an explicit location.
        ...(region === 'us-east-1'
          ? {}
          : {
              CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint },
            }),
      }),
    )
  } catch (error) {
    const exists = error instanceof BucketAlreadyOwnedByYou || error instanceof BucketAlreadyExists
    if (!exists) throw error
  }
  // BucketAlreadyExists may mean someone else's bucket: this fails with 403 then.
  await client.send(new HeadBucketCommand({ Bucket: bucket }))
}
