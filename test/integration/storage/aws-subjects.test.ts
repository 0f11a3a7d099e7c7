import { awsRegistryStores } from '../../../lib/storage/aws/registry-stores.ts'
import { describeSubjectStoreContract } from '../../contract/subjects.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeSubjectStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsRegistryStores(clients, names).subjects
})
