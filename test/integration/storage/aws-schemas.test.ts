import { awsRegistryStores } from '../../../lib/storage/aws/registry-stores.ts'
import { describeSchemaStoreContract } from '../../contract/schemas.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeSchemaStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsRegistryStores(clients, names).schemas
})
