import {
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb'
import { beforeAll, expect, it } from 'vitest'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'

let storage: TestStorage

beforeAll(async () => {
  storage = await createTestStorage()
})

// The log commit relies on this: a lost race surfaces as a cancelled
// transaction that says which item's condition failed, and writes nothing.
it('cancels a transaction with a per-item reason when one condition fails', async () => {
  const { dynamodb } = storage.clients
  const { partitions, segments } = storage.names.tables
  await dynamodb.send(
    new PutItemCommand({
      TableName: partitions,
      Item: { partitionKey: { S: 'topic-0' }, logEndOffset: { N: '5' } },
    }),
  )

  const commit = dynamodb.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          Update: {
            TableName: partitions,
            Key: { partitionKey: { S: 'topic-0' } },
            UpdateExpression: 'SET logEndOffset = :end',
            ConditionExpression: 'logEndOffset = :base',
            ExpressionAttributeValues: { ':base': { N: '3' }, ':end': { N: '7' } },
          },
        },
        {
          Put: {
            TableName: segments,
            Item: { partitionKey: { S: 'topic-0' }, baseOffset: { N: '3' } },
            ConditionExpression: 'attribute_not_exists(partitionKey)',
          },
        },
      ],
    }),
  )

  const error = await commit.then(
    () => expect.fail('the transaction should have been cancelled'),
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(TransactionCanceledException)
  expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual([
    'ConditionalCheckFailed',
    'None',
  ])
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: segments,
      Key: { partitionKey: { S: 'topic-0' }, baseOffset: { N: '3' } },
    }),
  )
  expect(Item).toBeUndefined()
})
