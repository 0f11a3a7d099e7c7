import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { describeLogContract } from '../../contract/log.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeLogContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsStorage(clients, names)
})
