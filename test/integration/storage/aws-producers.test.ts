import { awsLogStores } from '../../../lib/storage/aws/log-stores.ts'
import { describeProducerStoreContract } from '../../contract/producers.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeProducerStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsLogStores(clients, names)
})
