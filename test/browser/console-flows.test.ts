import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Json } from '../integration/http/support.ts'
import {
  type ConsolePage,
  type ConsoleServer,
  control,
  launchBrowser,
  openConsole,
  PHONE,
  screenshot,
  shownError,
  startConsoleServer,
} from './support.ts'

const C = '/v3/clusters/local'

let server: ConsoleServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startConsoleServer(), launchBrowser()])
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function json(response: Promise<Response>): Promise<{ status: number; body: Json }> {
  const answer = await response
  return { status: answer.status, body: await answer.json() }
}

/** The message the API itself gives for a request: what the console must show for the same input. */
async function apiMessage(method: string, path: string, body?: unknown): Promise<string> {
  const answer = await json(server.api(method, path, body))
  expect(answer.status).toBeGreaterThanOrEqual(400)
  return answer.body.message
}

async function createTopic(name: string, partitions = 1): Promise<void> {
  const answer = await server.api('POST', `${C}/topics`, {
    topic_name: name,
    partitions_count: partitions,
  })
  expect(answer.status).toBe(201)
}

async function produce(topic: string, value: unknown, partition = 0): Promise<void> {
  const answer = await server.api('POST', `${C}/topics/${topic}/records`, {
    partition_id: partition,
    value: { type: 'JSON', data: value },
  })
  expect(answer.status).toBe(200)
}

async function withConsole(
  test: (console: ConsolePage, page: Page) => Promise<void>,
  viewport?: typeof PHONE,
) {
  const console = await openConsole(browser, server, viewport)
  try {
    await test(console, console.page)
    expect(console.errors).toEqual([])
  } finally {
    await console.close()
  }
}

it('creates a topic from the form, and shows the API refusing a bad one', async () => {
  await withConsole(async (console, page) => {
    await console.open('/topics')
    await control(page, 'Name').fill('bad name!')
    await page.getByRole('button', { name: 'Create topic' }).click()
    const refusal = await apiMessage('POST', `${C}/topics`, {
      topic_name: 'bad name!',
      partitions_count: 1,
      configs: [],
    })
    expect(await shownError(page)).toContain(refusal)

    await control(page, 'Name').fill('clicks')
    await control(page, 'Partitions').fill('two')
    await page.getByRole('button', { name: 'Create topic' }).click()
    const notANumber = await apiMessage('POST', `${C}/topics`, {
      topic_name: 'clicks',
      partitions_count: 'two',
      configs: [],
    })
    await page.getByText(notANumber).waitFor()
    expect((await server.api('GET', `${C}/topics/clicks`)).status).toBe(404)

    await control(page, 'Partitions').fill('2')
    await control(page, 'Cleanup policy').selectOption('compact')
    await page.getByRole('button', { name: 'Create topic' }).click()
    await page.getByRole('heading', { name: 'clicks' }).waitFor()
    await page.getByText('Partitions (2)').waitFor()
    const configs = await json(server.api('GET', `${C}/topics/clicks/configs/cleanup.policy`))
    expect(configs.body.value).toBe('compact')
  })
})

it('changes a config, and shows why a bad value is refused', async () => {
  await createTopic('settings')
  await withConsole(async (console, page) => {
    await console.open('/topics/settings')
    const row = page.locator('.config', { has: page.getByLabel('retention.ms', { exact: true }) })
    await row.getByRole('textbox').fill('soon')
    await row.getByRole('button', { name: 'Save' }).click()
    const refusal = await apiMessage('PUT', `${C}/topics/settings/configs/retention.ms`, {
      value: 'soon',
    })
    expect(await row.getByRole('alert').textContent()).toContain(refusal)

    await row.getByRole('textbox').fill('3600000')
    await row.getByRole('button', { name: 'Save' }).click()
    await page
      .locator('.config', { has: page.getByLabel('retention.ms', { exact: true }) })
      .getByRole('button', { name: 'Reset' })
      .waitFor()
    const config = await json(server.api('GET', `${C}/topics/settings/configs/retention.ms`))
    expect(config.body).toMatchObject({ value: '3600000', is_default: false })
  })
})

it('produces a record with a key and headers, then browses, filters, seeks and tails', async () => {
  await createTopic('pages')
  await withConsole(async (console, page) => {
    await console.open('/produce/pages')
    await control(page, 'Key').fill('alice')
    await control(page, 'Value').fill('{oops')
    await page.getByRole('button', { name: 'Produce' }).click()
    expect(await shownError(page)).toMatch(/^The value is not valid JSON/)

    await control(page, 'Value').fill('{"page": "home", "ms": 12}')
    await page.getByRole('button', { name: 'Add header' }).click()
    await page.getByLabel('Header name').fill('source')
    await page.getByLabel('Header value').fill('mobile')
    await page.getByRole('button', { name: 'Produce' }).click()
    await page.getByText('Stored at partition 0, offset 0').waitFor()
  })
  await produce('pages', { page: 'cart' })

  await withConsole(async (console, page) => {
    await console.open('/messages/pages')
    await page.getByText('2 of 2 records shown').waitFor()
    // JSON comes back pretty-printed, header values decoded.
    expect(await page.locator('.record pre').first().textContent()).toBe(
      '{\n  "page": "home",\n  "ms": 12\n}',
    )
    await page.getByText('source: mobile').waitFor()

    await control(page, 'Value contains').fill('cart')
    await page.getByText('1 of 2 records shown').waitFor()
    await control(page, 'Value contains').fill('')
    await control(page, 'Header (name or name=text)').fill('source=mob')
    await page.getByText('1 of 2 records shown').waitFor()
    await control(page, 'Key contains').fill('bob')
    await page.getByText('0 of 2 records shown').waitFor()
    await control(page, 'Header (name or name=text)').fill('')
    await control(page, 'Key contains').fill('')

    await control(page, 'Start at').selectOption('offset')
    await control(page, 'Offset').fill('1')
    await page.getByRole('button', { name: 'Read', exact: true }).click()
    await page.getByText('1 of 1 records shown').waitFor()

    await control(page, 'Offset').fill('99')
    await page.getByRole('button', { name: 'Read', exact: true }).click()
    const refusal = await apiMessage('GET', `${C}/topics/pages/partitions/0/records?offset=99`)
    expect(await shownError(page)).toContain(refusal)

    await control(page, 'Start at').selectOption('timestamp')
    await control(page, 'Time (ISO 8601 or epoch ms)').fill('2999-01-01T00:00:00Z')
    await page.getByRole('button', { name: 'Read', exact: true }).click()
    await page.getByText('0 of 0 records shown').waitFor()

    await page.getByRole('button', { name: 'Live tail' }).click()
    await page.getByText('Tailing…', { exact: false }).waitFor()
    await produce('pages', { page: 'tail' })
    await page.getByText('"page": "tail"').waitFor({ timeout: 20_000 })
    await page.getByRole('button', { name: 'Stop tail' }).click()
  })
})

it('produces Avro through the registry and shows it decoded', async () => {
  await createTopic('payments')
  const schema = '{"type":"record","name":"Payment","fields":[{"name":"id","type":"long"}]}'
  await withConsole(async (console, page) => {
    await console.open('/produce/payments')
    await control(page, 'Key format').selectOption('none')
    await control(page, 'Value format').selectOption('AVRO')
    await control(page, 'Schema').selectOption('id')
    await control(page, 'Schema id').fill('999')
    await control(page, 'Value').fill('{"id": 5}')
    await page.getByRole('button', { name: 'Produce' }).click()
    const refusal = await apiMessage('POST', `${C}/topics/payments/records`, {
      value: { type: 'AVRO', schema_id: 999, data: { id: 5 } },
    })
    expect(await shownError(page)).toContain(refusal)

    await control(page, 'Schema').selectOption('inline')
    await control(page, 'Avro schema').fill(schema)
    await page.getByRole('button', { name: 'Produce' }).click()
    await page.getByText('Stored at partition 0, offset 0 (schema 1)').waitFor()

    await console.open('/messages/payments')
    await page.getByText('AVRO · schema 1').waitFor()
    expect(await page.locator('.record pre').first().textContent()).toBe('{\n  "id": 5\n}')
  })
})

it('resets a group with a dry run first, and charts its lag', async () => {
  await createTopic('audit', 2)
  // Two records in each partition: a refused offset then reads the same whichever partition refuses it.
  for (const n of [1, 2, 3, 4]) await produce('audit', { n }, n % 2)
  const reset = await server.api('POST', `${C}/consumer-groups/auditors/offsets:reset`, {
    to: 'latest',
    topics: ['audit'],
  })
  expect(reset.status).toBe(200)
  const committed = async () =>
    (await json(server.api('GET', `${C}/consumer-groups/auditors/lags`))).body.data.map(
      (l: { current_offset: number }) => l.current_offset,
    )

  await withConsole(async (console, page) => {
    await console.open('/groups/auditors')
    await page.getByText('State EMPTY', { exact: false }).waitFor()
    await control(page, 'To').selectOption('offset')
    await control(page, 'Offset').fill('-1')
    await page.getByRole('button', { name: 'Dry run' }).click()
    const refusal = await apiMessage('POST', `${C}/consumer-groups/auditors/offsets:reset`, {
      to: 'offset',
      offset: -1,
      validate_only: true,
    })
    expect(await shownError(page)).toContain(refusal)

    await control(page, 'To').selectOption('earliest')
    await page.getByRole('button', { name: 'Dry run' }).click()
    await page.getByText('Dry run: nothing committed').waitFor()
    expect(await page.locator('td[data-label="Committed now"]').allTextContents()).toEqual([
      '2',
      '2',
    ])
    expect(await page.locator('td[data-label="Would be"]').allTextContents()).toEqual(['0', '0'])
    expect(await committed()).toEqual([2, 2])

    await page.getByRole('button', { name: 'Reset', exact: true }).click()
    await page.getByText('Offsets reset:').waitFor()
    expect(await committed()).toEqual([0, 0])
    await page.getByText('total lag 4', { exact: false }).waitFor()
    expect(await page.locator('td[data-label="Was"]').allTextContents()).toEqual(['2', '2'])
    // Two samples, five seconds apart, make the first chart.
    await page.getByRole('img', { name: 'Lag over time' }).waitFor({ timeout: 20_000 })
    await screenshot(page, 'flow-group-reset')
  })
})

it('checks a new schema version before registering it, and diffs versions', async () => {
  const v1 = '{"type":"record","name":"Click","fields":[{"name":"page","type":"string"}]}'
  const breaking = '{"type":"record","name":"Click","fields":[{"name":"page","type":"long"}]}'
  const v2 =
    '{"type":"record","name":"Click","fields":[{"name":"page","type":"string"},{"name":"ms","type":"long","default":0}]}'
  await withConsole(async (console, page) => {
    await console.open('/schemas')
    await control(page, 'Subject (e.g. orders-value)').fill('clicks-value')
    await control(page, 'Avro schema').fill('{not json')
    await page.getByRole('button', { name: 'Register' }).click()
    const refusal = await apiMessage('POST', '/subjects/clicks-value/versions', {
      schema: '{not json',
    })
    expect(await shownError(page)).toContain(refusal)

    await control(page, 'Avro schema').fill(v1)
    await page.getByRole('button', { name: 'Register' }).click()
    await page.getByRole('heading', { name: 'clicks-value' }).waitFor()

    const editor = control(page, 'Avro schema')
    await editor.fill(breaking)
    await page.getByRole('button', { name: 'Check compatibility' }).click()
    await page.getByText('Not compatible:').waitFor()
    expect(await page.getByRole('status').textContent()).toMatch(/page/)
    expect(await page.getByRole('button', { name: 'Register' }).isDisabled()).toBe(true)

    await editor.fill(v2)
    await page.getByRole('button', { name: 'Check compatibility' }).click()
    await page.getByText('Compatible: it can be registered.').waitFor()
    await page.getByRole('button', { name: 'Register' }).click()
    await page.locator('.diff .added').first().waitFor()
    const added = await page.locator('.diff .added').allTextContents()
    expect(added.join('')).toContain('"name": "ms"')
    const versions = await json(server.api('GET', '/subjects/clicks-value/versions'))
    expect(versions.body).toEqual([1, 2])
  })
})

it('shows segments and runs maintenance, at phone width', async () => {
  await createTopic('ledger')
  for (const n of [1, 2, 3]) await produce('ledger', { n })
  await withConsole(async (console, page) => {
    await console.open('/storage/ledger')
    await page.getByText('3 ingest objects not yet merged', { exact: false }).waitFor()
    await page.getByRole('button', { name: 'Run maintenance' }).click()
    await page.locator('.report').first().waitFor()
    const report = await page.locator('.report').first().textContent()
    expect(report).toContain('merge, compact, retention')
    expect(report).toContain('ledger/0')
    const segments = await json(server.api('GET', `${C}/topics/ledger/partitions/0/segments`))
    expect(segments.body.data).toHaveLength(1)
    await page.getByText('1 merged segments, 0 ingest objects', { exact: false }).waitFor()
    await screenshot(page, 'flow-storage-phone')
  }, PHONE)
})

it('deletes a topic once its name is typed', async () => {
  await createTopic('scratch')
  await withConsole(async (console, page) => {
    await console.open('/topics/scratch')
    const remove = page.getByRole('button', { name: 'Delete topic' })
    expect(await remove.isDisabled()).toBe(true)
    await control(page, 'Type scratch to delete it').fill('scratch')
    await remove.click()
    await page.getByRole('heading', { name: 'Topics' }).waitFor()
    expect((await server.api('GET', `${C}/topics/scratch`)).status).toBe(404)
  })
})
