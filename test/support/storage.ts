import { randomBytes } from 'node:crypto'
import { bootstrapStorage } from '../../lib/local/bootstrap.ts'
import type { AwsClients } from '../../lib/storage/aws/clients.ts'
import { type StorageNames, storageNamesForPrefix } from '../../lib/storage/tables.ts'
import { testClients } from './clients.ts'

export interface TestStorage {
  readonly names: StorageNames
  readonly clients: AwsClients
}

/** Fresh tables and bucket under a random prefix, so test files never see each other's data. */
export async function createTestStorage(): Promise<TestStorage> {
  // Hex keeps the bucket name lowercase, as S3 requires.
  const names = storageNamesForPrefix(`t-${randomBytes(4).toString('hex')}`)
  const clients = testClients()
  await bootstrapStorage(clients, names)
  return { names, clients }
}
