import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb'
import { HeadBucketCommand } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { bootstrapStorage, ensureTable } from '../../../lib/local/bootstrap.ts'
import { tableDefinitions } from '../../../lib/storage/tables.ts'
import { createTestStorage } from '../../support/storage.ts'

describe('bootstrapStorage', () => {
  it('creates every table with the key schema of its definition, and the bucket', async () => {
    const { names, clients } = await createTestStorage()

    for (const [id, definition] of Object.entries(tableDefinitions)) {
      const { Table } = await clients.dynamodb.send(
        new DescribeTableCommand({ TableName: names.tables[id as keyof typeof tableDefinitions] }),
      )
      const keys = [
        definition.partitionKey,
        ...('sortKey' in definition ? [definition.sortKey] : []),
      ]
      expect(Table?.TableStatus).toBe('ACTIVE')
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST')
      expect(Table?.KeySchema).toEqual(
        keys.map((key, index) => ({ AttributeName: key.name, KeyType: index ? 'RANGE' : 'HASH' })),
      )
      expect(Table?.AttributeDefinitions).toEqual(
        keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
      )
    }
    await expect(
      clients.s3.send(new HeadBucketCommand({ Bucket: names.bucket })),
    ).resolves.toBeDefined()
  })

  it('leaves existing tables and bucket alone when run again', async () => {
    const { names, clients } = await createTestStorage()
    await expect(bootstrapStorage(clients, names)).resolves.toBeUndefined()
  })

  it('enables time to live on tables that define it, also when run again', async () => {
    const { names, clients } = await createTestStorage()
    const tableName = `${names.bucket}-expiring`
    const definition = {
      suffix: 'expiring',
      partitionKey: { name: 'id', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
    } as const

    await ensureTable(clients.dynamodb, tableName, definition)
    await ensureTable(clients.dynamodb, tableName, definition)

    const { TimeToLiveDescription } = await clients.dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: tableName }),
    )
    expect(TimeToLiveDescription?.AttributeName).toBe('expiresAt')
    expect(['ENABLED', 'ENABLING']).toContain(TimeToLiveDescription?.TimeToLiveStatus)
  })
})
