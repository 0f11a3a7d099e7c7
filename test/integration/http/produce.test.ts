import { beforeAll, describe, expect, it } from 'vitest'
import { MURMUR2_VECTORS } from '../../support/murmur2-vectors.ts'
import {
  allOffsets,
  base64,
  C,
  chunkedInit,
  createHarness,
  createTopic,
  expectError,
  type Harness,
  type Json,
  readRecords,
  readResponse,
  uniqueTopic,
} from './support.ts'

let h: Harness

beforeAll(async () => {
  h = await createHarness()
})

const produce = (topic: string, record: unknown) =>
  h.send('POST', `${C}/topics/${topic}/records`, record)

/** Splits a body of concatenated JSON reports. */
function reports(text: string): Json[] {
  const values: Json[] = []
  let depth = 0
  let start = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (inString) {
      if (char === '\\') i++
      else if (char === '"') inString = false
    } else if (char === '"') inString = true
    else if (char === '{') {
      if (depth === 0) start = i
      depth++
    } else if (char === '}') {
      depth--
      if (depth === 0) values.push(JSON.parse(text.slice(start, i + 1)))
    }
  }
  expect(depth).toBe(0)
  return values
}

describe('single record', () => {
  it.each([
    ['BINARY', base64(Uint8Array.from([0, 1, 2, 254, 255])), 5],
    ['STRING', 'h\u00e9llo', 6],
    ['JSON', { n: 1, list: [true, null, 'x'], nested: { a: 'b' } }, 49],
  ] as const)(
    'produces a %s key and value and reads them back as such',
    async (type, data, size) => {
      const topic = uniqueTopic()
      await createTopic(h, topic, 1)
      const response = await produce(topic, {
        key: { type, data },
        value: { type, data },
      })
      expect(response.status, response.text).toBe(200)
      expect(response.body).toMatchObject({
        error_code: 200,
        cluster_id: 'local',
        topic_name: topic,
        partition_id: 0,
        offset: 0,
        key: { type, size },
        value: { type, size },
      })
      expect(Date.parse(response.body.timestamp)).toBeGreaterThan(Date.now() - 60_000)

      const [record, ...rest] = await readRecords(h, topic)
      expect(rest).toEqual([])
      expect(record).toMatchObject({
        partition_id: 0,
        offset: 0,
        timestamp: response.body.timestamp,
        key: { type, data },
        value: { type, data },
        headers: [],
      })
    },
  )

  it('keeps headers (base64 and null values), the timestamp and the partition given', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 3)
    const timestamp = '2024-05-06T07:08:09.123Z'
    const response = await produce(topic, {
      partition_id: 2,
      headers: [
        { name: 'trace', value: base64('abc-123') },
        { name: 'empty', value: null },
        { name: 'trace', value: base64(Uint8Array.from([255, 0])) },
      ],
      value: { type: 'STRING', data: 'v' },
      timestamp: '2024-05-06T09:08:09.123+02:00',
    })
    expect(response.status, response.text).toBe(200)
    expect(response.body).toMatchObject({ partition_id: 2, offset: 0, timestamp })
    expect(response.body.key).toBeNull()

    const [record] = await readRecords(h, topic, 2)
    expect(record).toMatchObject({
      partition_id: 2,
      offset: 0,
      timestamp,
      key: null,
      value: { type: 'STRING', data: 'v' },
      headers: [
        { name: 'trace', value: base64('abc-123') },
        { name: 'empty', value: null },
        { name: 'trace', value: base64(Uint8Array.from([255, 0])) },
      ],
    })
    expect(await allOffsets(h, topic)).toEqual([
      { earliest: 0, latest: 0 },
      { earliest: 0, latest: 0 },
      { earliest: 0, latest: 1 },
    ])
  })

  it('stores a JSON null value as a null record value', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const response = await produce(topic, {
      key: { type: 'STRING', data: 'k' },
      value: { type: 'JSON', data: null },
    })
    expect(response.status).toBe(200)
    expect(response.body.value).toBeNull()
    const [record] = await readRecords(h, topic)
    expect(record).toMatchObject({ key: { type: 'STRING', data: 'k' }, value: null })
  })
})

describe('partitioning', () => {
  const PARTITIONS = 7
  const expected = (hash: number) => (hash & 0x7fffffff) % PARTITIONS

  it('the vectors spread over several partitions, so the test can tell them apart', () => {
    expect(new Set(MURMUR2_VECTORS.map(([, hash]) => expected(hash))).size).toBeGreaterThanOrEqual(
      4,
    )
  })

  it('puts keyed records where Kafka puts them, hashing the key bytes', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, PARTITIONS)
    for (const [key, hash] of MURMUR2_VECTORS) {
      for (const keyData of [
        { type: 'STRING', data: key },
        { type: 'BINARY', data: base64(key) },
      ]) {
        const response = await produce(topic, {
          key: keyData,
          value: { type: 'STRING', data: key },
        })
        expect(response.status, response.text).toBe(200)
        expect(response.body.partition_id, `${keyData.type} key '${key}'`).toBe(expected(hash))
      }
    }
    const offsets = await allOffsets(h, topic)
    const total = offsets.reduce((sum, { latest }) => sum + latest, 0)
    expect(total).toBe(MURMUR2_VECTORS.length * 2)
  })

  it('hashes a JSON key as its JSON text', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, PARTITIONS)
    // The JSON number 21 serializes to the two bytes "21".
    const response = await produce(topic, {
      key: { type: 'JSON', data: 21 },
      value: { type: 'JSON', data: {} },
    })
    expect(response.body.partition_id).toBe(expected(-973932308))
  })
})

describe('produce of many records in one body', () => {
  const record = (i: number) =>
    JSON.stringify({
      key: { type: 'STRING', data: `k${i}` },
      value: { type: 'JSON', data: { i } },
    })

  it('produces concatenated records sent whole, answering a JSON array of reports in order', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const body = `${record(0)}${record(1)}\n  ${record(2)}\r\n\t${record(3)}\n`
    const response = await h.send('POST', `${C}/topics/${topic}/records`, body)
    expect(response.status, response.text).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    // What any JSON parser reads in one go (Python's response.json(), JSON.parse).
    const sent = JSON.parse(response.text) as Json[]
    expect(sent.map((report) => [report.error_code, report.offset])).toEqual([
      [200, 0],
      [200, 1],
      [200, 2],
      [200, 3],
    ])
    const read = await readRecords(h, topic)
    expect(read.map((r) => r.value.data)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }])
  })

  it('reports the one bad record in the middle and produces the others', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const bad = JSON.stringify({ value: { type: 'BINARY', data: 'not base64!' } })
    const response = await h.send(
      'POST',
      `${C}/topics/${topic}/records`,
      `${record(0)}${bad}${record(2)}`,
    )
    expect(response.status).toBe(200)
    const [first, middle, last, ...rest] = JSON.parse(response.text) as Json[]
    expect(rest).toEqual([])
    expect(first).toMatchObject({ error_code: 200, offset: 0 })
    expect(middle).toEqual({ error_code: 42203, message: expect.stringMatching(/base64/) })
    expect(last).toMatchObject({ error_code: 200, offset: 1 })
    const read = await readRecords(h, topic)
    expect(read.map((r) => r.key.data)).toEqual(['k0', 'k2'])
  })

  it('takes more records in one body than a call takes arguments', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const count = 150_000
    const response = await h.send('POST', `${C}/topics/${topic}/records`, '{}'.repeat(count))
    expect(response.status, response.text.slice(0, 300)).toBe(200)
    expect(response.text.match(/"error_code":200/g)).toHaveLength(count)
    expect((await allOffsets(h, topic))[0]).toMatchObject({ latest: count })
  }, 120_000)

  it("refuses a partition's records whose formats change too often for one index item, storing none of them", async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    // Each change of format is a run of its own: 90,000 of them take 450 KB, over DynamoDB's 400 KB item limit.
    const count = 90_000
    const alternating = Array.from({ length: count }, (_, i) =>
      JSON.stringify({
        partition_id: 0,
        value: i % 2 === 0 ? { type: 'JSON', data: i } : { type: 'STRING', data: 's' },
      }),
    )
    const other = JSON.stringify({ partition_id: 1, value: { type: 'STRING', data: 'kept' } })
    const response = await h.send(
      'POST',
      `${C}/topics/${topic}/records`,
      [...alternating, other].join(''),
    )
    expect(response.status, response.text.slice(0, 300)).toBe(200)
    const reports = JSON.parse(response.text) as Json[]
    expect(reports).toHaveLength(count + 1)
    expect(reports.at(-1)).toMatchObject({ error_code: 200, partition_id: 1, offset: 0 })
    const refused = reports.slice(0, count)
    expect(new Set(refused.map((report) => report.error_code))).toEqual(new Set([413]))
    expect(refused[0].message).toMatch(
      /90000 records for partition 0 change key or value format 89999 times.*nothing was stored/,
    )
    expect(await allOffsets(h, topic)).toEqual([
      { earliest: 0, latest: 0 },
      { earliest: 0, latest: 1 },
    ])
  }, 120_000)

  it('streams a chunked body, records split across chunks', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    const text = `${record(0)} ${record(1)}${JSON.stringify({ partition_id: 5, value: { type: 'STRING', data: 'x' } })}${record(3)}`
    const chunks = [text.slice(0, 10), text.slice(10, 70), text.slice(70, 71), text.slice(71)]
    const response = await readResponse(
      await h.app.request(`${C}/topics/${topic}/records`, chunkedInit(chunks)),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const sent = reports(response.text)
    expect(sent.map((report) => report.error_code)).toEqual([200, 200, 40402, 200])
    expect(sent[2].message).toMatch(/Partition 5/)
    const partitions = sent.filter((r) => r.error_code === 200).map((r) => r.partition_id)
    const read = [...(await readRecords(h, topic, 0)), ...(await readRecords(h, topic, 1))]
    expect(read.map((r) => r.key.data).sort()).toEqual(['k0', 'k1', 'k3'])
    expect(partitions).toHaveLength(3)
  })

  it('produces each record as it arrives, before the body ends', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const encoder = new TextEncoder()
    let send!: ReadableStreamDefaultController<Uint8Array>
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        send = controller
      },
    })
    const pending = h.app.request(`${C}/topics/${topic}/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body,
      duplex: 'half',
    } as RequestInit)
    send.enqueue(encoder.encode(record(0)))
    const response = await pending
    expect(response.status).toBe(200)
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    // The first report arrives while the request body is still open.
    const first = await reader.read()
    expect(reports(decoder.decode(first.value))).toEqual([
      expect.objectContaining({ error_code: 200, offset: 0 }),
    ])
    expect((await readRecords(h, topic)).map((r) => r.key.data)).toEqual(['k0'])
    send.enqueue(encoder.encode(record(1)))
    send.close()
    let rest = ''
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      rest += decoder.decode(value)
    }
    expect(reports(rest)).toEqual([expect.objectContaining({ error_code: 200, offset: 1 })])
  })

  it('ends a chunked stream with an error report at malformed JSON, keeping what came before', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const response = await readResponse(
      await h.app.request(
        `${C}/topics/${topic}/records`,
        chunkedInit([record(0), '{"value": {"type": "STRING", "data": "x"}', ' oops']),
      ),
    )
    expect(response.status).toBe(200)
    const [first, error, ...rest] = reports(response.text)
    expect(rest).toEqual([])
    expect(first).toMatchObject({ error_code: 200, offset: 0 })
    expect(error).toEqual({ error_code: 400, message: expect.stringMatching(/Malformed JSON/) })
    expect(await allOffsets(h, topic)).toEqual([{ earliest: 0, latest: 1 }])
  })
})

describe('records:batch', () => {
  it('answers 207 with successes and failures; only the good entries are stored', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2, { 'max.message.bytes': '1000' })
    const response = await h.send('POST', `${C}/topics/${topic}/records:batch`, {
      entries: [
        { id: 'a', partition_id: 0, value: { type: 'STRING', data: 'first' } },
        { id: 'b', partition_id: 7, value: { type: 'STRING', data: 'lost' } },
        { id: 'c', partition_id: 0, value: { type: 'BINARY', data: '***' } },
        { id: 'd', partition_id: 0, value: { type: 'STRING', data: 'x'.repeat(2000) } },
        { id: 'e', partition_id: 1, key: { type: 'JSON', data: [1] }, value: null },
        { id: 'f', partition_id: 0, value: { type: 'STRING', data: 'second' } },
      ],
    })
    expect(response.status, response.text).toBe(207)
    expect(response.body.successes).toEqual([
      expect.objectContaining({ id: 'a', error_code: 200, partition_id: 0, offset: 0 }),
      expect.objectContaining({ id: 'e', error_code: 200, partition_id: 1, offset: 0 }),
      expect.objectContaining({ id: 'f', error_code: 200, partition_id: 0, offset: 1 }),
    ])
    expect(response.body.failures).toEqual([
      { id: 'b', error_code: 40402, message: expect.stringMatching(/Partition 7/) },
      { id: 'c', error_code: 42203, message: expect.stringMatching(/base64/) },
      { id: 'd', error_code: 413, message: expect.stringMatching(/max\.message\.bytes \(1000\)/) },
    ])
    expect((await readRecords(h, topic, 0)).map((r) => r.value.data)).toEqual(['first', 'second'])
    expect(await readRecords(h, topic, 1)).toEqual([
      expect.objectContaining({ key: { type: 'JSON', data: [1] }, value: null }),
    ])
  })

  it('refuses duplicate ids and stores nothing', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const response = await h.send('POST', `${C}/topics/${topic}/records:batch`, {
      entries: [
        { id: 'x', value: { type: 'STRING', data: '1' } },
        { id: 'x', value: { type: 'STRING', data: '2' } },
      ],
    })
    expectError(response, 400, 400, /'x'/)
    expect(await allOffsets(h, topic)).toEqual([{ earliest: 0, latest: 0 }])
  })

  it('refuses a body without entries', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    expectError(await h.send('POST', `${C}/topics/${topic}/records:batch`, {}), 400, 400, /entries/)
    expectError(
      await h.send('POST', `${C}/topics/${topic}/records:batch`, { entries: [] }),
      400,
      400,
      /entries/,
    )
    expectError(
      await h.send('POST', `${C}/topics/${uniqueTopic()}/records:batch`, {
        entries: [{ id: 'a', value: { type: 'STRING', data: '1' } }],
      }),
      404,
      40401,
    )
  })

  it('routes only the literal records:batch', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const body = { entries: [{ id: 'a', value: { type: 'STRING', data: '1' } }] }
    expectError(await h.send('POST', `${C}/topics/${topic}/recordsXbatch`, body), 404, 404)
    expect(await allOffsets(h, topic)).toEqual([{ earliest: 0, latest: 0 }])
  })
})
