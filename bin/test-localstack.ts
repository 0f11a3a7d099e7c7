/**
 * The test suite and a quick bench against LocalStack instead of DynamoDB
 * Local and s3rver: starts LocalStack, runs both with AWS_ENDPOINT_URL
 * pointing at it, and stops it.
 *
 *   npm run test:localstack [-- vitest arguments]
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startLocalStack } from '../lib/local/localstack.ts'

const projectRoot = fileURLToPath(new URL('..', import.meta.url))
// vitest exports no path to its command line; its package.json names it.
const require = createRequire(import.meta.url)
const vitestPackage = require.resolve('vitest/package.json')
const vitestBin = (require(vitestPackage) as { bin: { vitest: string } }).bin.vitest
const vitest = join(dirname(vitestPackage), vitestBin)

/** Runs a command in the project with LocalStack's endpoint and credentials; resolves with its exit code. */
async function run(command: string, args: string[], endpoint: string): Promise<number> {
  const child = spawn(command, args, {
    cwd: projectRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: endpoint,
      // LocalStack takes any credentials; `test` is its convention.
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    },
  })
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null]
  return code ?? (signal === null ? 1 : 128)
}

process.stderr.write('test:localstack: starting LocalStack (the first run installs it)…\n')
const started = Date.now()
const localstack = await startLocalStack()
// LocalStack leads a process group of its own, which Ctrl-C does not reach: stop it here.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void localstack.stop().finally(() => process.exit(130))
  })
}
process.stderr.write(
  `test:localstack: LocalStack on ${localstack.endpoint} after ${Math.round((Date.now() - started) / 1000)} s\n`,
)
let failed = false
try {
  const tests = await run(
    process.execPath,
    [vitest, 'run', ...process.argv.slice(2)],
    localstack.endpoint,
  )
  const bench = await run(
    process.execPath,
    ['--import', 'tsx', 'bin/bench.ts', '--quick'],
    localstack.endpoint,
  )
  failed = tests !== 0 || bench !== 0
} finally {
  await localstack.stop()
}
process.exitCode = failed ? 1 : 0
