import { join } from 'node:path'
import { defaultEngineCacheDir, installPackedFolder, type PackedFolder } from './packed-folder.ts'

export const dynamoDBLocalJar = 'DynamoDBLocal.jar'
export const dynamoDBLocalLibraryDir = 'DynamoDBLocal_lib'

// DynamoDB Local is not on npm by itself; the Amplify simulator ships it. The
// version and integrity are pinned so every machine runs the same engine.
const simulatorVersion = '2.9.30'
const emulator: PackedFolder = {
  spec: `amplify-dynamodb-simulator@${simulatorVersion}`,
  integrity:
    'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==',
  folder: 'package/emulator/',
  marker: dynamoDBLocalJar,
}

/**
 * Makes sure the DynamoDB Local emulator is unpacked in the cache and returns
 * its directory (holding `DynamoDBLocal.jar` and `DynamoDBLocal_lib/`).
 */
export function installDynamoDBLocal(cacheDir = defaultEngineCacheDir): Promise<string> {
  return installPackedFolder(emulator, join(cacheDir, `dynamodb-local-${simulatorVersion}`))
}
