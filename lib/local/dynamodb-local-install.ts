import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { extract } from 'tar'
import { verifyIntegrity } from './integrity.ts'

// DynamoDB Local is not on npm by itself; the Amplify simulator ships it. The
// version and integrity are pinned so every machine runs the same engine.
const simulatorVersion = '2.9.30'
const simulatorPackage = `amplify-dynamodb-simulator@${simulatorVersion}`
const simulatorIntegrity =
  'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ=='

const projectRoot = fileURLToPath(new URL('../../', import.meta.url))

export const defaultEngineCacheDir = join(projectRoot, '.sluice', 'engines')

export const dynamoDBLocalJar = 'DynamoDBLocal.jar'
export const dynamoDBLocalLibraryDir = 'DynamoDBLocal_lib'

const execFileAsync = promisify(execFile)

export class DynamoDBLocalInstallError extends Error {
  override name = 'DynamoDBLocalInstallError'
}

/**
 * Makes sure the DynamoDB Local emulator is unpacked in the cache and returns
 * its directory (holding `DynamoDBLocal.jar` and `DynamoDBLocal_lib/`). The
 * download happens once per cache; later calls only check for the jar.
 */
export async function installDynamoDBLocal(cacheDir = defaultEngineCacheDir): Promise<string> {
  const target = join(cacheDir, `dynamodb-local-${simulatorVersion}`)
  if (existsSync(join(target, dynamoDBLocalJar))) return target

  await mkdir(cacheDir, { recursive: true })
  const packDir = await mkdtemp(join(tmpdir(), 'sluice-pack-'))
  // A sibling of the target, so the final rename stays on one file system and
  // the target only ever appears complete.
  const staging = await mkdtemp(`${target}.tmp-`)
  try {
    const tarball = await packSimulator(packDir)
    await verifyIntegrity(tarball, simulatorIntegrity)
    await extract({ file: tarball, cwd: staging, strip: 2 }, ['package/emulator/'])
    await rename(staging, target).catch((error: unknown) => {
      // Another process finished first: its copy is as good as ours.
      if (!existsSync(join(target, dynamoDBLocalJar))) throw error
    })
  } finally {
    await Promise.all([
      rm(packDir, { recursive: true, force: true }),
      rm(staging, { recursive: true, force: true }),
    ])
  }
  return target
}

async function packSimulator(destination: string): Promise<string> {
  const { stdout } = await execFileAsync(
    'npm',
    ['pack', simulatorPackage, '--json', '--pack-destination', destination],
    { maxBuffer: 64 * 1024 * 1024 },
  )
  const [packed] = JSON.parse(stdout) as { filename: string }[]
  if (packed === undefined)
    throw new DynamoDBLocalInstallError(`npm pack ${simulatorPackage} reported no tarball`)
  return join(destination, basename(packed.filename))
}
