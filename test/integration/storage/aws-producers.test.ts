import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { describeProducerStoreContract } from '../../contract/producers.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeProducerStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsStorage(clients, names)
})
