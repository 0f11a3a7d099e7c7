import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { describeGroupStoreContract } from '../../contract/groups.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeGroupStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsStorage(clients, names).groups
})
