import { awsGroupStores } from '../../../lib/storage/aws/group-stores.ts'
import { describeInstanceStoreContract } from '../../contract/consumer-instances.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeInstanceStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsGroupStores(clients, names).consumerInstances
})
