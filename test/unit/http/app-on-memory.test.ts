import { describe, expect, it } from 'vitest'
import { createApp } from '../../../lib/http/app.ts'
import { createServices } from '../../../lib/runtime/services.ts'
import { memoryStorage } from '../../../lib/storage/memory/storage-engine.ts'

/**
 * The whole HTTP API over the memory engine: every service runs on the ports,
 * so the routes, the broker, groups, maintenance and the registry work with no
 * DynamoDB or S3 behind them, and no Java.
 */
function memoryApp() {
  const app = createApp({
    ...createServices(memoryStorage(), { maintenance: { log: () => {} } }),
    clusterId: 'memory',
    maxRequestBytes: 1024 * 1024,
  })
  return (method: string, path: string, body?: unknown, contentType = 'application/json') =>
    app.request(path, {
      method,
      headers: { 'content-type': contentType },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    })
}

const cluster = '/v3/clusters/memory'

describe('the HTTP API on the memory engine', () => {
  it('creates a topic, produces, reads back, merges the log under maintenance, and answers 40401 for an unknown topic', async () => {
    const send = memoryApp()
    const created = await send('POST', `${cluster}/topics`, {
      topic_name: 'orders',
      partitions_count: 2,
    })
    expect(created.status).toBe(201)
    for (const total of [1, 2, 3, 4, 5]) {
      const produced = await send('POST', `${cluster}/topics/orders/records`, {
        partition_id: 1,
        key: { type: 'STRING', data: 'k' },
        value: { type: 'JSON', data: { total } },
      })
      expect(await produced.json()).toMatchObject({ partition_id: 1, offset: total - 1 })
    }

    const run = await send('POST', `${cluster}/maintenance:run`, {})
    const { totals } = (await run.json()) as {
      totals: { entriesBefore: number; entriesAfter: number }
    }
    expect(totals).toMatchObject({ entriesBefore: 5, entriesAfter: 1 })

    const read = await send('GET', `${cluster}/topics/orders/partitions/1/records?offset=0`)
    const page = (await read.json()) as { data: { offset: number; key: unknown; value: unknown }[] }
    expect(page.data.map(({ offset, value }) => ({ offset, value }))).toEqual(
      [1, 2, 3, 4, 5].map((total) => ({
        offset: total - 1,
        value: { type: 'JSON', data: { total } },
      })),
    )

    const missing = await send('GET', `${cluster}/topics/nowhere`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error_code: 40401 })
  })

  it('runs a v2 consumer in a group and commits its offsets', async () => {
    const send = memoryApp()
    await send('POST', `${cluster}/topics`, { topic_name: 'events', partitions_count: 1 })
    for (const n of [1, 2, 3]) {
      await send('POST', `${cluster}/topics/events/records`, { value: { type: 'JSON', data: n } })
    }
    const v2 = 'application/vnd.kafka.v2+json'
    const created = await send(
      'POST',
      '/consumers/g',
      { name: 'c', format: 'json', 'auto.offset.reset': 'earliest' },
      v2,
    )
    expect(created.status).toBe(200)
    const instance = '/consumers/g/instances/c'
    expect(
      (await send('POST', `${instance}/subscription`, { topics: ['events'] }, v2)).status,
    ).toBe(204)
    const records = await memoryFetch(send, instance, 3)
    expect(records.map((record) => record.value)).toEqual([1, 2, 3])
    expect((await send('POST', `${instance}/offsets`, {}, v2)).status).toBe(200)
    const lag = await send('GET', `${cluster}/consumer-groups/g/lags`)
    expect(await lag.json()).toMatchObject({
      data: [{ topic_name: 'events', current_offset: 3, lag: 0 }],
    })
  })

  it('registers an Avro schema and refuses an incompatible change', async () => {
    const send = memoryApp()
    const registry = 'application/vnd.schemaregistry.v1+json'
    const schema = (fields: unknown[]) => ({
      schema: JSON.stringify({ type: 'record', name: 'R', fields }),
    })
    const first = await send(
      'POST',
      '/subjects/r-value/versions',
      schema([{ name: 'a', type: 'int' }]),
      registry,
    )
    expect(await first.json()).toEqual({ id: 1 })
    const breaking = await send(
      'POST',
      '/subjects/r-value/versions',
      schema([{ name: 'b', type: 'int' }]),
      registry,
    )
    expect(breaking.status).toBe(409)
    expect(await breaking.json()).toMatchObject({ error_code: 40901 })
  })
})

/** Polls the instance's records until `count` arrived, as a v2 consumer loop does. */
async function memoryFetch(
  send: ReturnType<typeof memoryApp>,
  instance: string,
  count: number,
): Promise<{ value: unknown }[]> {
  const records: { value: unknown }[] = []
  for (let poll = 0; poll < 20 && records.length < count; poll++) {
    const response = await send(
      'GET',
      `${instance}/records?timeout=100`,
      undefined,
      'application/vnd.kafka.json.v2+json',
    )
    records.push(...((await response.json()) as { value: unknown }[]))
  }
  return records
}
