import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { startLocalEngines } from '../../lib/local/engines.ts'
import type { EngineEndpoints } from '../../lib/storage/aws/clients.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoints of the local engines, or null when tests run against AWS_ENDPOINT_URL. */
    engines: EngineEndpoints | null
  }
}

/** Starts one set of local engines for the whole run, unless AWS_ENDPOINT_URL names others. */
export default async function setup(project: TestProject) {
  if (process.env.AWS_ENDPOINT_URL) {
    project.provide('engines', null)
    return
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'sluice-test-'))
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true })
  const engines = await startLocalEngines({ dataDir, inMemory: true }).catch(async (error) => {
    await removeDataDir()
    throw error
  })
  project.provide('engines', {
    dynamodbEndpoint: engines.dynamodbEndpoint,
    s3Endpoint: engines.s3Endpoint,
  })
  return async () => {
    await engines.stop()
    await removeDataDir()
  }
}
