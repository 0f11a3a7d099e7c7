import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { parseApiKey } from '../../lib/auth/api-key.ts'
import { ApiKeys } from '../../lib/auth/api-keys.ts'
import { runApiKeysCommand } from '../../lib/auth/api-keys-command.ts'
import { apiKeyAuthentication } from '../../lib/http/authenticate.ts'
import { awsStorage } from '../../lib/storage/aws/storage-engine.ts'
import type { TestStorage } from '../support/storage.ts'
import {
  type ConsoleServer,
  control,
  launchBrowser,
  openConsole,
  PHONE,
  screenshot,
  shownError,
  startConsoleServer,
} from './support.ts'

let server: ConsoleServer
let browser: Browser
let keys: ApiKeys

const keysIn = (storage: TestStorage) =>
  new ApiKeys(awsStorage(storage.clients, storage.names).apiKeys)

beforeAll(async () => {
  ;[server, browser] = await Promise.all([
    startConsoleServer((storage) => apiKeyAuthentication(keysIn(storage))),
    launchBrowser(),
  ])
  keys = keysIn(server.storage)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function issueKey(): Promise<string> {
  const out: string[] = []
  const code = await runApiKeysCommand(['create', '--name', 'console'], keys, {
    out: (text) => out.push(text),
    err: () => {},
  })
  expect(code).toBe(0)
  return JSON.parse(out.join('')).api_key
}

it('serves the page to anyone, and the data only with a key', async () => {
  const page = await server.api('GET', '/console')
  expect(page.status).toBe(200)
  expect(await page.text()).toContain('<title>Sluice console</title>')
  expect((await server.api('GET', '/v3/clusters/local/topics')).status).toBe(401)
})

it('signs in with an API key, refuses a wrong one with the API message, and signs out', async () => {
  const key = await issueKey()
  const console = await openConsole(browser, server, PHONE)
  const { page } = console
  try {
    await console.open('/topics')
    await page.getByRole('heading', { name: 'Sign in to Sluice' }).waitFor()
    expect(await shownError(page)).toContain('Authentication required')
    await screenshot(page, 'phone-signin')

    await control(page, 'API key').fill(`${key.slice(0, -4)}AAAA`)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('The API key is not valid', { exact: false }).waitFor()
    expect(await page.evaluate(() => sessionStorage.getItem('sluice.apiKey'))).toBeNull()

    await control(page, 'API key').fill(key)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Topics' }).waitFor()
    await page.getByText('No topics yet', { exact: false }).waitFor()
    expect(await page.evaluate(() => sessionStorage.getItem('sluice.apiKey'))).toBe(key)

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in to Sluice' }).waitFor()
    expect(await page.evaluate(() => sessionStorage.getItem('sluice.apiKey'))).toBeNull()
    expect(console.errors).toEqual([])
  } finally {
    await console.close()
  }
})

it('asks to sign in again when the key is revoked', async () => {
  const key = await issueKey()
  const console = await openConsole(browser, server)
  const { page } = console
  try {
    await console.open('/topics')
    await control(page, 'API key').fill(key)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Topics' }).waitFor()
    const keyId = parseApiKey(key)?.keyId ?? ''
    const out: string[] = []
    expect(
      await runApiKeysCommand(['revoke', keyId], keys, { out: (t) => out.push(t), err: () => {} }),
    ).toBe(0)
    await console.open('/groups')
    await page.getByRole('heading', { name: 'Sign in to Sluice' }).waitFor()
    expect(await shownError(page)).toContain('The API key is not valid')
  } finally {
    await console.close()
  }
})
