import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import getPort from 'get-port'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { defaultEngineCacheDir } from '../../../lib/local/packed-folder.ts'
import { isRunning } from '../../../lib/local/process-check.ts'
import { kafkaClientCommand } from '../../support/kafka-clients.ts'
import { type RunningSluice, watch } from '../cli/support.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/**
 * Sections whose examples need more than `npm start`: an AWS account, or this
 * repository's own scripts (the client's packing has a test of its own).
 */
const NOT_AGAINST_NPM_START = new Set([
  'Quick start',
  'TypeScript client',
  'Deploy to AWS',
  'Development',
])

interface Example {
  readonly section: string
  readonly script: string
}

/** The README's `sh` blocks, in order, each with the `##` section it is in. */
function shellExamples(readme: string): Example[] {
  const examples: Example[] = []
  let section = ''
  let block: string[] | undefined
  for (const line of readme.split('\n')) {
    if (block) {
      if (line.startsWith('```')) {
        examples.push({ section, script: block.join('\n') })
        block = undefined
      } else block.push(line)
    } else if (line.startsWith('## ')) section = line.slice(3).trim()
    else if (line.trim() === '```sh') block = []
  }
  return examples
}

let dir: string
let npm: RunningSluice
let url: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-readme-'))
  const { PORT: _, SLUICE_URL: __, ...env } = process.env
  const port = await getPort({ host: '127.0.0.1' })
  npm = watch(
    spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        ...env,
        PORT: String(port),
        SLUICE_DATA_DIR: join(dir, 'data'),
        SLUICE_ENGINE_CACHE_DIR: defaultEngineCacheDir,
        SLUICE_TABLE_PREFIX: `readme-${port}`,
      },
    }),
  )
  ;[, url = ''] = await npm.stderrMatching(/Sluice is serving on (http:\/\/\S+)/, 120_000)
}, 150_000)

afterAll(async () => {
  const server = Number.parseInt(
    await readFile(join(dir, 'data', 'sluice.lock'), 'utf8').catch(() => ''),
    10,
  )
  npm?.child.kill('SIGTERM')
  // npm's shell dies of the signal; the server sees it is orphaned and stops within a second.
  for (let i = 0; i < 100 && Number.isInteger(server) && isRunning(server); i++) await delay(100)
  await rm(dir, { recursive: true, force: true })
}, 30_000)

it('runs every shell example of the README, top to bottom, against npm start', async () => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
  const examples = shellExamples(readme).filter((e) => !NOT_AGAINST_NPM_START.has(e.section))
  expect(examples.map((e) => e.section)).toEqual(
    expect.arrayContaining(['Try it', 'Schema registry and Avro', 'Consumers and groups', 'CLI']),
  )
  const { host } = new URL(url)
  // Sourced first: failures stop the run and are named; see the file.
  const prelude = await readFile(join(ROOT, 'test/integration/readme/prelude.sh'), 'utf8')
  const script = [prelude, ...examples.map((e) => `# --- ${e.section}\n${e.script}`)]
    .join('\n')
    .replaceAll('127.0.0.1:8082', host)
  // The examples run kcat by name, so one unpacked for the tests goes first on PATH.
  const kcat = kafkaClientCommand('kcat')
  const path =
    kcat === 'kcat' ? process.env.PATH : `${dirname(kcat)}${delimiter}${process.env.PATH}`
  const run = watch(
    spawn('bash', ['-c', script], {
      cwd: dir,
      env: { ...process.env, PATH: path, SLUICE_URL: url, SLUICE_ROOT: ROOT },
    }),
  )
  const { code } = await run.exited
  expect(code, `${run.stderr().slice(-4000)}\n--- stdout ends:\n${run.stdout().slice(-2000)}`).toBe(
    0,
  )
}, 300_000)
