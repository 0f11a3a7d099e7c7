import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ConsoleServer,
  DESKTOP,
  expectNoHorizontalOverflow,
  launchBrowser,
  openConsole,
  PHONE,
  screenshot,
  startConsoleServer,
} from './support.ts'

const C = '/v3/clusters/local'
const ORDER_V1 =
  '{"type":"record","name":"Payment","fields":[{"name":"id","type":"long"},{"name":"note","type":["null","string"],"default":null}]}'
const ORDER_V2 =
  '{"type":"record","name":"Payment","fields":[{"name":"id","type":"long"},{"name":"note","type":["null","string"],"default":null},{"name":"currency","type":"string","default":"EUR"}]}'

let server: ConsoleServer
let browser: Browser

async function ok(response: Promise<Response>): Promise<void> {
  const answer = await response
  expect(answer.status, await answer.clone().text()).toBeLessThan(300)
}

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startConsoleServer(), launchBrowser()])
  await ok(server.api('POST', `${C}/topics`, { topic_name: 'orders', partitions_count: 3 }))
  await ok(
    server.api('POST', `${C}/topics/orders/records:batch`, {
      entries: [1, 2, 3, 4, 5].map((n) => ({
        id: String(n),
        key: { type: 'STRING', data: `user-${n}` },
        value: { type: 'JSON', data: { total: n * 10, items: ['book', 'pen'] } },
        headers: [{ name: 'source', value: Buffer.from('web').toString('base64') }],
      })),
    }),
  )
  await ok(server.api('POST', `${C}/topics`, { topic_name: 'payments', partitions_count: 1 }))
  await ok(
    server.api('POST', `${C}/topics/payments/records`, {
      value: { type: 'AVRO', schema: ORDER_V1, data: { id: 7, note: { string: 'gift' } } },
    }),
  )
  await ok(server.api('POST', '/subjects/payments-value/versions', { schema: ORDER_V2 }))
  // A reset creates the group with committed offsets, as Kafka's tool does.
  await ok(
    server.api('POST', `${C}/consumer-groups/billing/offsets:reset`, {
      to: 'earliest',
      topics: ['orders'],
    }),
  )
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** Every page, and what it must show once loaded. */
const PAGES = [
  { route: '/topics', shows: ['orders', 'payments', 'Create a topic'] },
  { route: '/topics/orders', shows: ['Partitions (3)', 'cleanup.policy', 'retention.ms'] },
  { route: '/messages/orders', shows: ['5 of 5 records shown', '"total": 50', 'source: web'] },
  { route: '/messages/payments', shows: ['AVRO · schema 1', '"string": "gift"'] },
  { route: '/produce/orders', shows: ['Value format', 'Add header'] },
  { route: '/groups', shows: ['billing', 'EMPTY'] },
  { route: '/groups/billing', shows: ['orders/2', 'Reset offsets', 'Dry run'] },
  { route: '/schemas', shows: ['payments-value', 'Register a new subject'] },
  {
    route: '/schemas/payments-value',
    shows: ['Diff between versions', '"default": "EUR"', 'Check compatibility'],
  },
  { route: '/storage/orders', shows: ['Partition 2', 'ingest', 'Run maintenance'] },
] as const

describe.each([
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const)('every page at %s width', (width, viewport) => {
  it.each(PAGES)('$route', async ({ route, shows }) => {
    const console = await openConsole(browser, server, viewport)
    try {
      await console.open(route)
      for (const text of shows) {
        await console.page.getByText(text, { exact: false }).first().waitFor()
      }
      await expectNoHorizontalOverflow(console.page)
      await screenshot(console.page, `${width}${route.replaceAll('/', '-')}`)
      expect(console.errors).toEqual([])
    } finally {
      await console.close()
    }
  })
})

describe('the root URL', () => {
  it('opens the console in a browser', async () => {
    const console = await openConsole(browser, server)
    try {
      await console.page.goto(`${server.url}/`)
      await console.page.getByRole('heading', { name: 'Topics' }).waitFor()
      expect(new URL(console.page.url()).pathname).toBe('/console')
    } finally {
      await console.close()
    }
  })

  it('answers API clients as before', async () => {
    const response = await server.api('GET', '/', undefined, { accept: 'application/json' })
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error_code: 404, message: 'No resource at GET /.' })
  })
})
