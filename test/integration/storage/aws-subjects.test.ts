import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { describeSubjectStoreContract } from '../../contract/subjects.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeSubjectStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsStorage(clients, names).subjects
})
