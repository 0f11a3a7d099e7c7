import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { parseApiKey } from '../../../lib/auth/api-key.ts'
import { ApiKeys } from '../../../lib/auth/api-keys.ts'
import { runApiKeysCommand } from '../../../lib/auth/api-keys-command.ts'
import { CONSOLE_PATH } from '../../../lib/console/routes.ts'
import { createApp } from '../../../lib/http/app.ts'
import { apiKeyAuthentication, iamAuthentication } from '../../../lib/http/authenticate.ts'
import { localFunctionEnvironment } from '../../../lib/infra/local-lambda.ts'
import { createServices } from '../../../lib/runtime/services.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'

let storage: TestStorage
let keys: ApiKeys

beforeAll(async () => {
  storage = await createTestStorage()
  keys = new ApiKeys(awsStorage(storage.clients, storage.names).apiKeys)
})

async function command(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runApiKeysCommand(argv, keys, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

async function issue(name: string): Promise<string> {
  const created = await command('create', '--name', name)
  expect(created.code, created.err).toBe(0)
  return JSON.parse(created.out).api_key
}

function app(authenticate = apiKeyAuthentication(keys)) {
  return createApp({
    ...createServices(awsStorage(storage.clients, storage.names)),
    clusterId: 'local',
    maxRequestBytes: 1024 * 1024,
    authenticate,
  })
}

async function status(authorization?: string): Promise<{ status: number; body: unknown }> {
  const response = await app().request('/v3/clusters/local/topics', {
    headers: authorization === undefined ? {} : { authorization },
  })
  return { status: response.status, body: await response.json() }
}

describe('API keys', () => {
  it('are issued once, stored only as a hash, listed without secrets', async () => {
    const key = await issue('billing service')
    const parsed = parseApiKey(key)
    expect(parsed).toBeDefined()
    const { Items = [] } = await DynamoDBDocumentClient.from(storage.clients.dynamodb).send(
      new ScanCommand({ TableName: storage.names.tables.apiKeys }),
    )
    const stored = JSON.stringify(Items)
    expect(stored).not.toContain(parsed?.secret)
    expect(stored).toContain(parsed?.keyId)

    const listed = await command('list')
    expect(listed.code).toBe(0)
    const entry = JSON.parse(listed.out).find((k: { key_id: string }) => k.key_id === parsed?.keyId)
    expect(entry).toEqual({
      key_id: parsed?.keyId,
      name: 'billing service',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    })
    expect(listed.out).not.toContain(parsed?.secret)
  })

  it('let a request with a live key through, and stop working once revoked', async () => {
    const key = await issue('producer')
    expect((await status(`Bearer ${key}`)).status).toBe(200)
    const revoked = await command('revoke', parseApiKey(key)?.keyId ?? '')
    expect(revoked.code, revoked.err).toBe(0)
    expect(await status(`Bearer ${key}`)).toEqual({
      status: 401,
      body: { error_code: 40101, message: expect.stringMatching(/unknown or was revoked/) },
    })
    expect((await command('revoke', parseApiKey(key)?.keyId ?? '')).code).toBe(1)
  })

  it('refuse missing, malformed and forged keys with 401 and error code 40101', async () => {
    const key = await issue('forgery target')
    const parsed = parseApiKey(key)
    const forged = `sluice_${parsed?.keyId}_${'A'.repeat(43)}`
    for (const authorization of [
      undefined,
      'Bearer',
      `Basic ${Buffer.from('user:pass').toString('base64')}`,
      'Bearer not-a-sluice-key',
      `Bearer ${forged}`,
      `Bearer sluice_0123456789abcdef_${parsed?.secret}`,
    ]) {
      const answer = await status(authorization)
      expect(answer.status, authorization).toBe(401)
      expect(answer.body).toEqual({ error_code: 40101, message: expect.any(String) })
    }
  })

  it('reject usage errors without touching the table', async () => {
    const before = (await keys.list()).length
    for (const argv of [
      [],
      ['create'],
      ['create', '--name', '   '],
      ['create', '--name', 'x'.repeat(201)],
      ['create', '--name', 'a', 'extra'],
      ['create', '--colour', 'red'],
      ['revoke'],
      ['rotate'],
    ]) {
      const result = await command(...argv)
      expect(result.code, argv.join(' ')).toBe(2)
      expect(result.err).toMatch(/Usage: api-keys/)
    }
    expect((await keys.list()).length).toBe(before)
  })

  it('are managed by `npm run api-keys` through the table named in the environment', async () => {
    const engines = inject('engines')
    const env = {
      ...process.env,
      ...localFunctionEnvironment({
        names: storage.names,
        clusterId: 'local',
        authMode: 'api-key',
        ...(engines && { engines }),
      }),
    }
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bin/sluice.ts', 'api-keys', 'create', '--name', 'from the command line'],
      { env },
    )
    const { key_id: keyId, api_key: key } = JSON.parse(stdout)
    expect(parseApiKey(key)?.keyId).toBe(keyId)
    expect((await keys.list()).find((key) => key.keyId === keyId)?.name).toBe(
      'from the command line',
    )
  })
})

describe('authentication on every route', () => {
  it('refuses every route of the app, known or not, before any handler runs', async () => {
    for (const [name, authenticate] of [
      ['api-key', apiKeyAuthentication(keys)],
      ['iam', iamAuthentication()],
    ] as const) {
      const served = app(authenticate)
      // The console's page and assets are public: they hold no data (the console signs in itself).
      const routes = served.routes.filter(
        (route) =>
          route.method !== 'ALL' &&
          route.path !== CONSOLE_PATH &&
          !route.path.startsWith(`${CONSOLE_PATH}/`),
      )
      expect(routes.length).toBeGreaterThan(10)
      for (const route of [...routes, { method: 'GET', path: '/no/such/route' }]) {
        const path = route.path.replace(/:(\w+)(\{[^}]*\})?/g, (_, param: string) =>
          param === 'cluster' ? 'local' : `x${param}`,
        )
        const response = await served.request(path, {
          method: route.method,
          headers: { 'content-type': 'application/json' },
          ...(route.method !== 'GET' && route.method !== 'DELETE' && { body: '{}' }),
        })
        expect(response.status, `${name} ${route.method} ${path}`).toBe(401)
        expect(((await response.json()) as { error_code: number }).error_code).toBe(40101)
      }
    }
  })
})
