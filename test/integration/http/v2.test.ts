import { beforeAll, describe, expect, it } from 'vitest'
import {
  allOffsets,
  base64,
  createHarness,
  createTopic,
  expectError,
  type Harness,
  readRecords,
  uniqueTopic,
} from './support.ts'

const JSON_V2 = 'application/vnd.kafka.json.v2+json'
const BINARY_V2 = 'application/vnd.kafka.binary.v2+json'
const V2 = 'application/vnd.kafka.v2+json'

let h: Harness

beforeAll(async () => {
  h = await createHarness()
})

describe('v2 produce', () => {
  it('produces JSON records and reads them back as JSON', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    const response = await h.send(
      'POST',
      `/topics/${topic}`,
      {
        records: [
          { key: 'k', value: { a: 1 } },
          { value: [1, 'two'] },
          { key: { id: 7 }, value: 'plain' },
        ],
      },
      JSON_V2,
    )
    expect(response.status, response.text).toBe(200)
    expect(response.headers.get('content-type')).toBe(V2)
    expect(response.body).toEqual({
      key_schema_id: null,
      value_schema_id: null,
      offsets: [0, 1, 2].map((offset) => ({ partition: 0, offset, error_code: null, error: null })),
    })
    const records = await readRecords(h, topic)
    expect(records.map((r) => [r.key, r.value])).toEqual([
      [
        { type: 'JSON', data: 'k' },
        { type: 'JSON', data: { a: 1 } },
      ],
      [null, { type: 'JSON', data: [1, 'two'] }],
      [
        { type: 'JSON', data: { id: 7 } },
        { type: 'JSON', data: 'plain' },
      ],
    ])
  })

  it('produces binary records: the base64-decoded bytes are stored', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    const bytes = Uint8Array.from([0, 200, 13, 10, 255])
    const response = await h.send(
      'POST',
      `/topics/${topic}`,
      { records: [{ key: base64('key'), value: base64(bytes) }] },
      BINARY_V2,
    )
    expect(response.status, response.text).toBe(200)
    expect(response.body.offsets).toEqual([
      { partition: 0, offset: 0, error_code: null, error: null },
    ])
    const [record] = await readRecords(h, topic)
    expect(record.key).toEqual({ type: 'BINARY', data: base64('key') })
    expect(record.value).toEqual({ type: 'BINARY', data: base64(bytes) })
    expect(Buffer.from(record.value.data, 'base64')).toEqual(Buffer.from(bytes))
  })

  it('produces to a partition given in the path or in a record', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 3)
    const inPath = await h.send(
      'POST',
      `/topics/${topic}/partitions/2`,
      { records: [{ value: 1 }, { value: 2 }] },
      JSON_V2,
    )
    expect(inPath.body.offsets.map((o: { partition: number }) => o.partition)).toEqual([2, 2])
    const inRecord = await h.send(
      'POST',
      `/topics/${topic}`,
      { records: [{ value: 3, partition: 1 }] },
      JSON_V2,
    )
    expect(inRecord.body.offsets).toEqual([
      { partition: 1, offset: 0, error_code: null, error: null },
    ])
    expect(await allOffsets(h, topic)).toEqual([
      { earliest: 0, latest: 0 },
      { earliest: 0, latest: 1 },
      { earliest: 0, latest: 2 },
    ])
  })

  it('partitions a keyed binary record by the decoded key bytes', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 7)
    const response = await h.send(
      'POST',
      `/topics/${topic}`,
      { records: [{ key: base64('foobar'), value: base64('v') }] },
      BINARY_V2,
    )
    // murmur2("foobar") = -790332482 (REFERENCE.md §5)
    expect(response.body.offsets[0].partition).toBe((-790332482 & 0x7fffffff) % 7)
  })

  it('answers 415 for a content type without an embedded format', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const body = { records: [{ value: 1 }] }
    for (const type of ['application/json', V2, 'text/plain']) {
      expectError(await h.send('POST', `/topics/${topic}`, body, type), 415, 415, /Content-Type/)
    }
    expect(await allOffsets(h, topic)).toEqual([{ earliest: 0, latest: 0 }])
  })

  it('refuses the whole request when one record is not base64 (422 42203), storing nothing', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    const response = await h.send(
      'POST',
      `/topics/${topic}`,
      {
        records: [
          { value: base64('fine'), partition: 0 },
          { value: 'not base64!', partition: 1 },
        ],
      },
      BINARY_V2,
    )
    expectError(response, 422, 42203, /records\[1\]\.value.*base64/)
    expect(await allOffsets(h, topic)).toEqual([
      { earliest: 0, latest: 0 },
      { earliest: 0, latest: 0 },
    ])
  })

  it('refuses a record for a partition the topic lacks, storing nothing', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    const response = await h.send(
      'POST',
      `/topics/${topic}`,
      {
        records: [
          { value: 1, partition: 0 },
          { value: 2, partition: 5 },
        ],
      },
      JSON_V2,
    )
    expectError(response, 404, 40402, /records\[1\].*Partition 5/)
    expectError(
      await h.send('POST', `/topics/${topic}/partitions/2`, { records: [{ value: 1 }] }, JSON_V2),
      404,
      40402,
    )
    expect(await allOffsets(h, topic)).toEqual([
      { earliest: 0, latest: 0 },
      { earliest: 0, latest: 0 },
    ])
  })

  it('answers 404 40401 for an unknown topic', async () => {
    const topic = uniqueTopic()
    const response = await h.send('POST', `/topics/${topic}`, { records: [{ value: 1 }] }, JSON_V2)
    expectError(response, 404, 40401, new RegExp(topic))
    expect((await h.get('/topics')).body).not.toContain(topic)
  })

  it('answers 400 for malformed JSON or a body without records', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    expectError(await h.send('POST', `/topics/${topic}`, '{"records": [', JSON_V2), 400, 400)
    expectError(
      await h.send('POST', `/topics/${topic}`, { records: [] }, JSON_V2),
      400,
      400,
      /records/,
    )
    expect(await allOffsets(h, topic)).toEqual([{ earliest: 0, latest: 0 }])
  })
})

describe('v2 produce with a producer id', () => {
  const produceV2 = (topic: string, body: unknown) =>
    h.send('POST', `/topics/${topic}`, body, JSON_V2)

  /** A new session's producer_id and producer_epoch, from the v3 endpoint that issues them. */
  async function newProducer(): Promise<{ producer_id: number; producer_epoch: number }> {
    const init = await h.send('POST', '/v3/clusters/local/producers')
    expect(init.status, init.text).toBe(200)
    return { producer_id: init.body.producer_id, producer_epoch: init.body.producer_epoch }
  }

  it('stores a batch sent again once, answering the resend with its offsets', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    const body = {
      ...(await newProducer()),
      records: [
        { partition: 1, sequence: 0, value: 'a' },
        { partition: 1, sequence: 1, value: 'b' },
      ],
    }
    const expected = [0, 1].map((offset) => ({
      partition: 1,
      offset,
      error_code: null,
      error: null,
    }))
    for (let send = 0; send < 2; send++) {
      const response = await produceV2(topic, body)
      expect(response.status, response.text).toBe(200)
      expect(response.body.offsets).toEqual(expected)
    }
    expect((await readRecords(h, topic, 1)).map((r) => r.value.data)).toEqual(['a', 'b'])

    const gap = await produceV2(topic, {
      ...body,
      records: [{ partition: 1, sequence: 5, value: 'c' }],
    })
    expect(gap.status, gap.text).toBe(200)
    expect(gap.body.offsets).toEqual([
      {
        partition: null,
        offset: null,
        error_code: 40904,
        error: expect.stringMatching(/sequence/),
      },
    ])
    expect(await allOffsets(h, topic)).toEqual([
      { earliest: 0, latest: 0 },
      { earliest: 0, latest: 2 },
    ])
  })

  it('refuses the whole request when a record lacks its sequence, or has one without a producer id', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    const producer = await newProducer()
    const unsequenced = await produceV2(topic, {
      ...producer,
      records: [
        { partition: 0, sequence: 0, value: 'a' },
        { partition: 0, value: 'b' },
      ],
    })
    expectError(unsequenced, 400, 400, /records\[1\]: .*sequence/)
    const stray = await produceV2(topic, { records: [{ sequence: 0, value: 'a' }] })
    expectError(stray, 400, 400, /records\[0\]: .*producer_id/)
    const half = await produceV2(topic, {
      producer_id: producer.producer_id,
      records: [{ value: 'a' }],
    })
    expectError(half, 400, 400, /producer_id and producer_epoch go together/)
    expect(await allOffsets(h, topic)).toEqual([{ earliest: 0, latest: 0 }])
  })
})

describe('v2 metadata', () => {
  it('lists topic names and describes a topic, its partitions and offsets', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2, { 'retention.ms': '1234' })
    const names = await h.get('/topics')
    expect(names.status).toBe(200)
    expect(names.headers.get('content-type')).toBe(V2)
    expect(names.body).toContain(topic)

    const described = await h.get(`/topics/${topic}`)
    expect(described.body).toMatchObject({
      name: topic,
      configs: { 'retention.ms': '1234', 'cleanup.policy': 'delete' },
    })
    expect(described.body.partitions.map((p: { partition: number }) => p.partition)).toEqual([0, 1])

    const partitions = await h.get(`/topics/${topic}/partitions`)
    expect(partitions.body).toHaveLength(2)
    expect(partitions.body[1]).toMatchObject({ partition: 1, leader: 0 })
    const partition = await h.get(`/topics/${topic}/partitions/1`)
    expect(partition.body).toMatchObject({ partition: 1, leader: 0 })
    expectError(await h.get(`/topics/${topic}/partitions/2`), 404, 40402)

    await h.send('POST', `/topics/${topic}/partitions/1`, { records: [{ value: 1 }] }, JSON_V2)
    const offsets = await h.get(`/topics/${topic}/partitions/1/offsets`)
    expect(offsets.body).toEqual({ beginning_offset: 0, end_offset: 1 })
    expect((await h.get(`/topics/${topic}/partitions/0/offsets`)).body).toEqual({
      beginning_offset: 0,
      end_offset: 0,
    })
  })

  it('answers 404 40401 for an unknown topic', async () => {
    const topic = uniqueTopic()
    expectError(await h.get(`/topics/${topic}`), 404, 40401)
    expectError(await h.get(`/topics/${topic}/partitions`), 404, 40401)
    expectError(await h.get(`/topics/${topic}/partitions/0/offsets`), 404, 40401)
  })
})
