import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installDynamoDBLocal } from '../../../lib/local/dynamodb-local-install.ts'
import { defaultEngineCacheDir } from '../../../lib/local/packed-folder.ts'
import { commandLineOf, isRunning } from '../../../lib/local/process-check.ts'
import { runSluice, SLUICE_COMMAND, startSluice, watch } from './support.ts'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-dev-'))
  // These servers start their own DynamoDB Local, whatever engines the run targets:
  // make sure the cache they link to holds it (a run against AWS_ENDPOINT_URL has not unpacked it).
  await installDynamoDBLocal()
}, 180_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** `sluice dev` on a free port over `dataDir`, with nothing from the test run's environment that would change where. */
function devEnv(dataDir: string): NodeJS.ProcessEnv {
  const { AWS_ENDPOINT_URL: _, SLUICE_ENGINE_CACHE_DIR: __, PORT: ___, ...env } = process.env
  return { ...env, SLUICE_DATA_DIR: dataDir, SLUICE_MAINTENANCE_INTERVAL_MS: '0' }
}

const SERVING = /Sluice is serving on (http:\/\/\S+)/

async function pidIn(file: string): Promise<number> {
  return Number.parseInt(await readFile(file, 'utf8'), 10)
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && isRunning(pid); i++) await delay(100)
  return !isRunning(pid)
}

describe('sluice dev', () => {
  it('reaps the DynamoDB Local a killed server left, refuses a second server on its data, and stops cleanly on SIGTERM', async () => {
    const dataDir = join(dir, 'kill')
    // The engine cache defaults to engines/ in the data dir: point it at the one already unpacked.
    await mkdir(dataDir, { recursive: true })
    await symlink(defaultEngineCacheDir, join(dataDir, 'engines'))
    const pidFile = join(dataDir, 'dynamodb-local.pid')

    const killed = startSluice(['dev', '--port', '0'], devEnv(dataDir))
    await killed.stderrMatching(SERVING)
    const leftBehind = await pidIn(pidFile)
    expect(await commandLineOf(leftBehind)).toContain(join(dataDir, 'engines'))
    killed.child.kill('SIGKILL')
    await killed.exited
    expect(isRunning(leftBehind)).toBe(true)

    const server = startSluice(['dev', '--port', '0'], devEnv(dataDir))
    const [, url] = await server.stderrMatching(SERVING)
    // Polls of a JVM still starting are not worth a console warning.
    expect(server.stderr()).not.toMatch(/requestTimeout/)
    expect(await gone(leftBehind)).toBe(true)
    const engine = await pidIn(pidFile)
    expect(engine).not.toBe(leftBehind)
    expect((await fetch(`${url}/v3/clusters`)).status).toBe(200)

    const second = startSluice(['dev', '--port', '0'], devEnv(dataDir))
    expect((await second.exited).code).toBe(1)
    expect(second.stderr()).toMatch(/is in use by process \d+/)
    expect(isRunning(engine)).toBe(true)

    server.child.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(isRunning(engine)).toBe(false)
    expect(existsSync(pidFile)).toBe(false)
    expect(existsSync(join(dataDir, 'sluice.lock'))).toBe(false)
  }, 180_000)

  it('requires API keys with SLUICE_AUTH_MODE=api-key, issued by `sluice api-keys --local`', async () => {
    const dataDir = join(dir, 'auth')
    const env = {
      ...devEnv(dataDir),
      SLUICE_ENGINE_CACHE_DIR: defaultEngineCacheDir,
      SLUICE_AUTH_MODE: 'api-key',
    }
    const server = startSluice(['dev', '--port', '0'], env)
    try {
      const [, url] = await server.stderrMatching(SERVING)
      const client = (args: readonly string[]) =>
        runSluice(url as string, args, '', { SLUICE_DATA_DIR: dataDir })
      const refused = await client(['topics', 'list'])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/\[40101\]\nhint: send an API key/)

      const created = await client(['api-keys', '--local', 'create', '--name', 'laptop'])
      expect(created.code, created.stderr).toBe(0)
      const { api_key: key } = JSON.parse(created.stdout)
      expect(key).toMatch(/^sluice_/)
      const listed = await client(['--api-key', key, 'topics', 'list'])
      expect(listed, listed.stderr).toMatchObject({ code: 0, stdout: '[]\n' })
      expect((await client(['--api-key', `${key}x`, 'topics', 'list'])).code).toBe(1)
    } finally {
      server.child.kill('SIGTERM')
      await server.exited
    }
    const stopped = await runSluice('http://127.0.0.1:1', ['api-keys', '--local', 'list'], '', {
      SLUICE_DATA_DIR: dataDir,
    })
    expect(stopped.code).toBe(1)
    expect(stopped.stderr).toMatch(/No local engines serve .*sluice dev/)
  }, 120_000)

  it('stops with its engines when the shell that started it is terminated, as npm start does', async () => {
    const dataDir = join(dir, 'orphan')
    const env = { ...devEnv(dataDir), SLUICE_ENGINE_CACHE_DIR: defaultEngineCacheDir }
    // What npm runs a script in: a shell that dies of SIGTERM without passing it on.
    const command = [...SLUICE_COMMAND, 'dev', '--port', '0'].map((part) => `'${part}'`).join(' ')
    const shell = watch(spawn('sh', ['-c', `${command}; exit $?`], { env }))
    await shell.stderrMatching(SERVING)
    const server = await pidIn(join(dataDir, 'sluice.lock'))
    const engine = await pidIn(join(dataDir, 'dynamodb-local.pid'))
    shell.child.kill('SIGTERM')
    await shell.exited
    expect(await gone(server)).toBe(true)
    expect(await gone(engine)).toBe(true)
    expect(existsSync(join(dataDir, 'sluice.lock'))).toBe(false)
  }, 120_000)
})
