import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { describeSchemaStoreContract } from '../../contract/schemas.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeSchemaStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsStorage(clients, names).schemas
})
