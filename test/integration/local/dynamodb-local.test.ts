import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JavaNotFoundError, startDynamoDBLocal } from '../../../lib/local/dynamodb-local.ts'
import { localCredentials, localRegion } from '../../../lib/storage/aws/clients.ts'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-dynamodb-local-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

it('explains what to do when there is no Java', async () => {
  const emptyDir = await mkdtemp(join(dir, 'no-java-'))
  const start = startDynamoDBLocal({ javaCommand: join(emptyDir, 'java'), cacheDir: emptyDir })

  const error = await start.then(
    () => expect.fail('DynamoDB Local should not have started'),
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(JavaNotFoundError)
  expect((error as Error).message).toContain('AWS_ENDPOINT_URL')
})

describe('with a database directory', () => {
  it('keeps tables across a restart', async () => {
    const dbPath = join(dir, 'db')
    const tableName = 'survivor'

    const first = await startDynamoDBLocal({ dbPath })
    const firstClient = client(first.endpoint)
    await firstClient.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    )
    firstClient.destroy()
    await first.stop()

    const second = await startDynamoDBLocal({ dbPath })
    try {
      const { TableNames } = await client(second.endpoint).send(new ListTablesCommand({}))
      expect(TableNames).toEqual([tableName])
    } finally {
      await second.stop()
    }
  })
})

function client(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials })
}
