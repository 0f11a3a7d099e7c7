import { S3ObjectStore } from '../../../lib/storage/aws/objects.ts'
import { describeObjectStoreContract } from '../../contract/objects.contract.ts'
import { createTestStorage } from '../../support/storage.ts'

describeObjectStoreContract('S3', async () => {
  const { clients, names } = await createTestStorage()
  return new S3ObjectStore(clients.s3, names.bucket)
})
