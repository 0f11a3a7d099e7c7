import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { DynamoDbTopicStore } from '../../../lib/storage/aws/topics.ts'
import { describeTopicStoreContract } from '../../contract/topics.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeTopicStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return new DynamoDbTopicStore(DynamoDBDocumentClient.from(clients.dynamodb), names.tables.topics)
})
