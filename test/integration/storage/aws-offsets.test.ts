import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { describeOffsetStoreContract } from '../../contract/offsets.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeOffsetStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsStorage(clients, names)
})
