import { awsGroupStores } from '../../../lib/storage/aws/group-stores.ts'
import { describeOffsetStoreContract } from '../../contract/offsets.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeOffsetStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsGroupStores(clients, names)
})
