import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../../../lib/http/app.ts'
import {
  allOffsets,
  base64,
  C,
  chunkedInit,
  createHarness,
  createTopic,
  expectError,
  type Harness,
  type Offsets,
  readResponse,
  topicNames,
  uniqueTopic,
} from './support.ts'

const MAX_REQUEST_BYTES = 64 * 1024

let h: Harness
/** The same services behind an app with a 64 KiB request limit. */
let small: ReturnType<typeof createApp>
/** Two partitions, max.message.bytes 1000, two records in partition 0. */
let topic: string
let topicsBefore: string[]
let offsetsBefore: Offsets[]

beforeAll(async () => {
  h = await createHarness()
  small = createApp({ ...h, clusterId: 'local', maxRequestBytes: MAX_REQUEST_BYTES })
  topic = uniqueTopic()
  await createTopic(h, topic, 2, { 'max.message.bytes': '1000' })
  for (const data of ['a', 'b']) {
    const response = await h.send('POST', `${C}/topics/${topic}/records`, {
      partition_id: 0,
      value: { type: 'STRING', data },
    })
    expect(response.status).toBe(200)
  }
})

beforeEach(async () => {
  topicsBefore = await topicNames(h)
  offsetsBefore = await allOffsets(h, topic)
  expect(offsetsBefore).toEqual([
    { earliest: 0, latest: 2 },
    { earliest: 0, latest: 0 },
  ])
})

/** Every refused request must leave the topics and their offsets as they were. */
async function expectNothingChanged() {
  expect(await topicNames(h)).toEqual(topicsBefore)
  expect(await allOffsets(h, topic)).toEqual(offsetsBefore)
}

const records = () => `${C}/topics/${topic}/records`
const produce = (body: unknown, contentType?: string) =>
  h.send('POST', records(), body, contentType)

describe('malformed JSON', () => {
  it.each([
    ['truncated', '{"value": {"type": "STRING", "data": "x"'],
    ['not JSON', 'value=x'],
    ['a trailing comma', '{"value": {"type": "STRING", "data": "x"},}'],
  ])('refuses a %s produce body with 400', async (_, body) => {
    expectError(await produce(body), 400, 400, /Malformed JSON/)
    await expectNothingChanged()
  })

  it('refuses a good record followed by garbage, producing neither', async () => {
    const good = JSON.stringify({ value: { type: 'STRING', data: 'x' } })
    expectError(await produce(`${good}{oops`), 400, 400, /Malformed JSON/)
    await expectNothingChanged()
  })

  it('refuses malformed JSON on topic create, batch produce and config alter', async () => {
    expectError(await h.send('POST', `${C}/topics`, '{"topic_name": "x"'), 400, 400, /Malformed/)
    expectError(await h.send('POST', `${records()}:batch`, '{"entries": ['), 400, 400, /Malformed/)
    expectError(
      await h.send('POST', `${C}/topics/${topic}/configs:alter`, '{data'),
      400,
      400,
      /Malformed/,
    )
    await expectNothingChanged()
  })

  it('refuses an empty produce body', async () => {
    expectError(await produce(''), 400, 400, /no record/)
    expectError(await produce('  \n'), 400, 400, /no record/)
    await expectNothingChanged()
  })
})

describe('content type', () => {
  it.each([
    ['text/plain', 'text/plain'],
    ['form data', 'application/x-www-form-urlencoded'],
  ])('refuses %s with 415 on every JSON endpoint', async (_, type) => {
    const record = { value: { type: 'STRING', data: 'x' } }
    expectError(await produce(record, type), 415, 415, new RegExp(type))
    expectError(
      await h.send('POST', `${records()}:batch`, { entries: [{ id: 'a', ...record }] }, type),
      415,
      415,
    )
    expectError(await h.send('POST', `${C}/topics`, { topic_name: uniqueTopic() }, type), 415, 415)
    expectError(
      await h.send('PUT', `${C}/topics/${topic}/configs/retention.ms`, { value: '1' }, type),
      415,
      415,
    )
    await expectNothingChanged()
    expect((await h.get(`${C}/topics/${topic}/configs/retention.ms`)).body.is_default).toBe(true)
  })

  it('refuses a produce without a content type with 415', async () => {
    const response = await h.request(records(), {
      method: 'POST',
      body: new TextEncoder().encode(JSON.stringify({ value: { type: 'STRING', data: 'x' } })),
    })
    expectError(response, 415, 415, /Content-Type/)
    await expectNothingChanged()
  })
})

describe('unknown topic or partition', () => {
  it('answers 404 40401 for a produce to an unknown topic', async () => {
    const name = uniqueTopic()
    const response = await h.send('POST', `${C}/topics/${name}/records`, {
      value: { type: 'STRING', data: 'x' },
    })
    expectError(response, 404, 40401, new RegExp(`'${name}'`))
    await expectNothingChanged()
  })

  it.each([2, 100, -1])('answers 404 40402 for partition_id %s', async (partition) => {
    const response = await produce({
      partition_id: partition,
      value: { type: 'STRING', data: 'x' },
    })
    expectError(response, 404, 40402, new RegExp(`Partition ${partition}`))
    await expectNothingChanged()
  })

  it('answers 404 for an unknown cluster', async () => {
    const response = await h.send('POST', `/v3/clusters/other/topics/${topic}/records`, {
      value: { type: 'STRING', data: 'x' },
    })
    expectError(response, 404, 404, /other/)
    await expectNothingChanged()
  })
})

describe('payload conversion', () => {
  it.each([
    ['a bad base64 value', { value: { type: 'BINARY', data: 'a+b/c' } }, /value.*base64/],
    ['base64 with spaces', { value: { type: 'BINARY', data: 'YWJj ZA==' } }, /value.*base64/],
    ['a bad base64 key', { key: { type: 'BINARY', data: '!!!!' } }, /key.*base64/],
    ['a numeric BINARY value', { value: { type: 'BINARY', data: 12 } }, /BINARY.*base64/],
    ['a bad base64 header', { headers: [{ name: 'h', value: '%%' }] }, /Header 'h'.*base64/],
    ['a STRING value that is not a string', { value: { type: 'STRING', data: {} } }, /STRING/],
  ])('refuses %s with 422 42203', async (_, record, message) => {
    expectError(await produce(record), 422, 42203, message)
    await expectNothingChanged()
  })

  it('accepts valid base64 (control)', async () => {
    const other = uniqueTopic()
    await createTopic(h, other)
    const response = await h.send('POST', `${C}/topics/${other}/records`, {
      key: { type: 'BINARY', data: base64('abcd') },
      value: { type: 'BINARY', data: 'YWJjZA==' },
      headers: [{ name: 'h', value: base64('v') }],
    })
    expect(response.status, response.text).toBe(200)
  })
})

describe('record shape', () => {
  it.each([
    ['an unknown type', { value: { type: 'XML', data: '<a/>' } }, /value\.type/],
    ['a partition_id that is not a number', { partition_id: 'one' }, /partition_id/],
    ['a fractional partition_id', { partition_id: 0.5 }, /partition_id/],
    ['a timestamp that is not a date', { timestamp: 'yesterday' }, /timestamp 'yesterday'/],
    ['headers that are not a list', { headers: { a: 'b' } }, /headers/],
    ['a record that is a list', [{ value: { type: 'STRING', data: 'x' } }], /Invalid record/],
  ])('refuses %s with 400', async (_, record, message) => {
    expectError(await produce(record), 400, 400, message)
    await expectNothingChanged()
  })
})

describe('sizes', () => {
  it('refuses a record over max.message.bytes with 413', async () => {
    const response = await produce({ value: { type: 'STRING', data: 'x'.repeat(1000) } })
    expectError(response, 413, 413, /max\.message\.bytes \(1000\)/)
    await expectNothingChanged()
  })

  it('accepts a record just under max.message.bytes (control)', async () => {
    const other = uniqueTopic()
    await createTopic(h, other, 1, { 'max.message.bytes': '1000' })
    const response = await h.send('POST', `${C}/topics/${other}/records`, {
      value: { type: 'STRING', data: 'x'.repeat(900) },
    })
    expect(response.status, response.text).toBe(200)
  })

  const oversized = () =>
    JSON.stringify({ value: { type: 'STRING', data: 'x'.repeat(MAX_REQUEST_BYTES) } })

  it('refuses a body over the request limit with 413, with or without a declared length', async () => {
    const body = oversized()
    const declared = await readResponse(
      await small.request(records(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        },
        body,
      }),
    )
    expectError(declared, 413, 413, /65536 bytes/)
    const undeclared = await readResponse(
      await small.request(records(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }),
    )
    expectError(undeclared, 413, 413, /65536 bytes/)
    const topicCreate = await readResponse(
      await small.request(`${C}/topics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ topic_name: uniqueTopic(), pad: 'x'.repeat(MAX_REQUEST_BYTES) }),
      }),
    )
    expectError(topicCreate, 413, 413)
    await expectNothingChanged()
  })

  it('ends a chunked produce over the request limit with a 413 report, storing nothing', async () => {
    const body = oversized()
    const chunks = Array.from({ length: Math.ceil(body.length / 8192) }, (_, i) =>
      body.slice(i * 8192, (i + 1) * 8192),
    )
    const response = await readResponse(await small.request(records(), chunkedInit(chunks)))
    expect(response.status).toBe(200)
    expect(response.body).toEqual({ error_code: 413, message: expect.stringMatching(/65536/) })
    await expectNothingChanged()
  })

  it('accepts a body just under the request limit (control)', async () => {
    const other = uniqueTopic()
    await createTopic(h, other, 1, { 'max.message.bytes': String(2 * MAX_REQUEST_BYTES) })
    const response = await readResponse(
      await small.request(`${C}/topics/${other}/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value: { type: 'STRING', data: 'x'.repeat(60_000) } }),
      }),
    )
    expect(response.status, response.text).toBe(200)
  })
})
