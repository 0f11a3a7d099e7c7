import { afterAll, beforeAll, expect, it } from 'vitest'
import { type LoopbackServer, listenOnLoopback } from '../../support/loopback.ts'
import { createTopic, type Harness, uniqueTopic } from '../http/support.ts'
import { createGroupsHarness, JSON_V2, produceJson, uniqueGroup, V2 } from './support.ts'

let h: Harness
let server: LoopbackServer

beforeAll(async () => {
  h = await createGroupsHarness()
  server = await listenOnLoopback(h.app)
})

afterAll(() => server.close())

/** What the README's curl examples do, over a real socket: bodies with lengths, empty ones without a type. */
it('runs the v2 consumer flow over HTTP as the README shows it', async () => {
  const topic = uniqueTopic()
  await createTopic(h, topic, 2)
  await produceJson(h, topic, 0, [{ id: 1 }])
  await produceJson(h, topic, 1, [{ id: 2 }])
  const group = uniqueGroup()
  const send = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': V2 }), ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    })

  const created = await send('POST', `/consumers/${group}`, {
    name: 'c1',
    format: 'json',
    'auto.offset.reset': 'earliest',
  })
  expect(created.status).toBe(200)
  const { base_uri } = (await created.json()) as { base_uri: string }
  expect(base_uri).toBe(`${server.url}/consumers/${group}/instances/c1`)
  const instance = new URL(base_uri).pathname

  expect((await send('POST', `${instance}/subscription`, { topics: [topic] })).status).toBe(204)
  const records = await send('GET', `${instance}/records?timeout=1000`, undefined, {
    accept: JSON_V2,
  })
  expect(records.headers.get('content-type')).toBe(JSON_V2)
  const values = ((await records.json()) as { value: unknown }[]).map((r) => r.value)
  expect(values).toEqual([{ id: 1 }, { id: 2 }])

  const commit = await send('POST', `${instance}/offsets`)
  expect(commit.status).toBe(200)
  const offsets = await send('GET', `${instance}/offsets?partitions=${topic}:0,${topic}:1`)
  expect(await offsets.json()).toEqual({
    offsets: [
      { topic, partition: 0, offset: 1, metadata: '' },
      { topic, partition: 1, offset: 1, metadata: '' },
    ],
  })
  expect((await send('DELETE', instance)).status).toBe(204)
  expect((await send('GET', `${instance}/records`)).status).toBe(404)
})
