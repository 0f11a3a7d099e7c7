import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AwsClients, createAwsClients, type EngineEndpoints } from '../storage/aws/clients.ts'
import { type StorageNames, storageNamesForPrefix } from '../storage/tables.ts'
import { bootstrapStorage } from './bootstrap.ts'
import { startLocalEngines } from './engines.ts'
import { removeStorage } from './remove-storage.ts'

/** The engines one measuring run (the bench, the fault check) talks to, with fresh tables and a fresh bucket. */
export interface ScratchEnvironment {
  readonly clients: AwsClients
  /** The local engines the clients reach; undefined for the SDK's configured ones. */
  readonly endpoints: EngineEndpoints | undefined
  readonly names: StorageNames
  /** Says in a line which engines these are. */
  readonly engines: string
  /** True for engines on this machine, whose latencies say nothing about AWS's. */
  readonly local: boolean
  close(): Promise<void>
}

/**
 * Starts DynamoDB Local (in memory) and s3rver (in a temporary directory),
 * unless AWS_ENDPOINT_URL names engines to use instead; either way creates the
 * tables and bucket under a random prefix, so a run never sees old data.
 */
export async function openScratchEnvironment(): Promise<ScratchEnvironment> {
  // Hex keeps the bucket name lowercase, as S3 requires.
  const names = storageNamesForPrefix(`scratch-${randomBytes(4).toString('hex')}`)
  const endpoint = process.env.AWS_ENDPOINT_URL
  if (endpoint) {
    const clients = createAwsClients()
    await bootstrapStorage(clients, names)
    return {
      clients,
      endpoints: undefined,
      names,
      engines: `the AWS SDK's configured endpoints (AWS_ENDPOINT_URL=${endpoint})`,
      local: false,
      close: () => removeStorage(clients, names),
    }
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'sluice-scratch-'))
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true })
  const engines = await startLocalEngines({ dataDir, inMemory: true }).catch(async (error) => {
    await removeDataDir()
    throw error
  })
  const close = async () => {
    await engines.stop()
    await removeDataDir()
  }
  try {
    const clients = createAwsClients(engines)
    await bootstrapStorage(clients, names)
    return {
      clients,
      endpoints: { dynamodbEndpoint: engines.dynamodbEndpoint, s3Endpoint: engines.s3Endpoint },
      names,
      engines:
        'local: DynamoDB Local (in memory, its own JVM) + s3rver (in this process, temp dir)',
      local: true,
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}
