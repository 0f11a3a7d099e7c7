import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DevServer } from '../../../lib/local/dev-server.ts'
import { startTestDevServer, uniqueName } from './support.ts'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** Uses the installed package as another project would: plain Node, no TypeScript loader. */
const APP = `
import { Sluice } from '@sluice/client'

const [url, topic, group] = process.argv.slice(2)
const sluice = new Sluice({ url })
await sluice.admin().createTopics({ topics: [{ topic, numPartitions: 2 }] })
const producer = sluice.producer()
await producer.send({ topic, messages: ['a', 'b', 'c'].map((key) => ({ key, value: key + '!' })) })
await producer.disconnect()

const consumer = sluice.consumer({ groupId: group })
consumer.subscribe({ topics: [topic], fromBeginning: true })
const values = []
await new Promise((done, fail) => {
  consumer.on('crash', fail)
  consumer.run({
    eachMessage: async ({ message }) => {
      values.push(message.value.toString())
      if (values.length === 3) done()
    },
  })
})
await consumer.disconnect()
console.log(JSON.stringify(values.sort()))
`

/** Compiles against the shipped declarations; each expected error proves a type is not \`any\`. */
const TYPED = `
import { Sluice, type CompatibilityLevel, SluiceRequestError } from '@sluice/client'

const sluice = new Sluice({ url: 'http://127.0.0.1:8082' })
const level: CompatibilityLevel = 'FULL_TRANSITIVE'
await sluice.registry().setCompatibility(level)
sluice.consumer({ groupId: 'g', assignor: 'range' })
// @ts-expect-error: not an assignor the server runs
sluice.consumer({ groupId: 'g', assignor: 'nearest' })
// @ts-expect-error: a topic name is a string
await sluice.producer().send({ topic: 7, messages: [] })
export const isRequestError = (error: unknown) => error instanceof SluiceRequestError
`

describe('the client package', () => {
  let server: DevServer
  let dir: string
  beforeAll(async () => {
    ;[server, dir] = await Promise.all([
      startTestDevServer(),
      mkdtemp(join(tmpdir(), 'sluice-client-')),
    ])
  }, 120_000)
  afterAll(async () => {
    await server?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('installs on its own from the packed tarball, runs in plain Node and type-checks', async () => {
    await run('npm', ['run', 'client:pack', '--', '--pack-destination', dir], { cwd: ROOT })
    const [tarball] = (await readdir(dir)).filter((name) => name.endsWith('.tgz'))
    expect(tarball).toMatch(/^sluice-client-\d+\.\d+\.\d+\.tgz$/)

    const app = join(dir, 'app')
    await mkdir(app)
    await writeFile(join(app, 'package.json'), '{ "type": "module", "private": true }')
    await run(
      'npm',
      ['install', join(dir, String(tarball)), '--prefer-offline', '--no-audit', '--no-fund'],
      { cwd: app },
    )
    const installed = await readdir(join(app, 'node_modules'))
    expect(installed).toContain('@sluice')
    // Neither the server's nor the deployment's libraries come with it.
    for (const serverSide of ['aws-cdk-lib', 'hono', 'constructs', 'avsc', 'tsx']) {
      expect(installed).not.toContain(serverSide)
    }
    const aws = await readdir(join(app, 'node_modules', '@aws-sdk'))
    expect(aws).not.toContain('client-dynamodb')
    expect(aws).not.toContain('client-s3')

    await writeFile(join(app, 'app.mjs'), APP)
    const consumed = await run(
      process.execPath,
      ['app.mjs', server.url, uniqueName('package'), uniqueName('package')],
      { cwd: app },
    )
    expect(JSON.parse(consumed.stdout)).toEqual(['a!', 'b!', 'c!'])

    await writeFile(join(app, 'typed.ts'), TYPED)
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          strict: true,
          noEmit: true,
          typeRoots: [join(ROOT, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['typed.ts'],
      }),
    )
    await run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', app], { cwd: app })
  }, 240_000)
})
