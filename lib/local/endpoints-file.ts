import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { EngineEndpoints } from '../storage/aws/clients.ts'

const ENDPOINTS_FILE = 'endpoints.json'

/** The endpoints file of a data dir, while local engines serve from it. */
export function endpointsFile(dataDir: string): string {
  return join(dataDir, ENDPOINTS_FILE)
}

/**
 * Says where the engines on `dataDir` listen (their ports are picked afresh
 * each start), so commands such as `sluice api-keys --local` can reach them.
 */
export async function publishEndpoints(dataDir: string, endpoints: EngineEndpoints) {
  await writeFile(endpointsFile(dataDir), `${JSON.stringify(endpoints)}\n`)
  return { withdraw: () => rm(endpointsFile(dataDir), { force: true }) }
}

export class NoLocalEnginesError extends Error {
  override name = 'NoLocalEnginesError'
}

/** The endpoints of the engines serving `dataDir`; fails when none run there. */
export async function localEndpoints(dataDir: string): Promise<EngineEndpoints> {
  try {
    const { dynamodbEndpoint, s3Endpoint } = JSON.parse(
      await readFile(endpointsFile(dataDir), 'utf8'),
    ) as EngineEndpoints
    return { dynamodbEndpoint, s3Endpoint }
  } catch {
    throw new NoLocalEnginesError(
      `No local engines serve ${dataDir}: start them with \`sluice dev\` (npm start), or set SLUICE_DATA_DIR to the directory it uses.`,
    )
  }
}
