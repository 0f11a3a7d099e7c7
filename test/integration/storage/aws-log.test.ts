import { awsLogStores } from '../../../lib/storage/aws/log-stores.ts'
import { describeLogContract } from '../../contract/log.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeLogContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsLogStores(clients, names)
})
