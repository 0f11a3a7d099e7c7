import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { describeInstanceStoreContract } from '../../contract/consumer-instances.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeInstanceStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsStorage(clients, names).consumerInstances
})
