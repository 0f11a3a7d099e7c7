import { awsGroupStores } from '../../../lib/storage/aws/group-stores.ts'
import { describeGroupStoreContract } from '../../contract/groups.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeGroupStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsGroupStores(clients, names).groups
})
