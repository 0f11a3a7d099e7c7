import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  C,
  createHarness,
  createTopic,
  expectError,
  type Harness,
  readRecords,
  uniqueTopic,
} from './support.ts'

let h: Harness
/** Ten records in partition 0, produced in three requests; timestamps 1000 ms apart. */
let topic: string
const BASE_TIME = Date.parse('2024-01-01T00:00:00.000Z')

beforeAll(async () => {
  h = await createHarness()
  topic = uniqueTopic()
  await createTopic(h, topic, 2)
  const value = (i: number) => ({
    value: { type: 'STRING', data: `value-${i}-${'x'.repeat(90)}` },
    timestamp: new Date(BASE_TIME + i * 1000).toISOString(),
    partition_id: 0,
  })
  const batches = [
    [0, 1, 2],
    [3, 4, 5, 6],
    [7, 8, 9],
  ]
  for (const batch of batches) {
    const response = await h.send('POST', `${C}/topics/${topic}/records:batch`, {
      entries: batch.map((i) => ({ id: String(i), ...value(i) })),
    })
    expect(response.body.successes, response.text).toHaveLength(batch.length)
  }
})

const read = (query: string, partition = 0) =>
  h.get(`${C}/topics/${topic}/partitions/${partition}/records?${query}`)

const offsetsOf = (records: { offset: number }[]) => records.map((record) => record.offset)

describe('read', () => {
  it('reads from an offset across index entries', async () => {
    const response = await read('offset=2')
    expect(response.status).toBe(200)
    expect(offsetsOf(response.body.data)).toEqual([2, 3, 4, 5, 6, 7, 8, 9])
    expect(response.body).toMatchObject({
      topic_name: topic,
      partition_id: 0,
      next_offset: 10,
      earliest_offset: 0,
      latest_offset: 10,
    })
    expect(response.body.data[0]).toMatchObject({
      value: { type: 'STRING', data: `value-2-${'x'.repeat(90)}` },
      timestamp: new Date(BASE_TIME + 2000).toISOString(),
    })
  })

  it('reads from earliest, from latest, and by default from the start', async () => {
    expect(offsetsOf((await read('offset=earliest&max_records=2')).body.data)).toEqual([0, 1])
    expect(offsetsOf((await read('max_records=2')).body.data)).toEqual([0, 1])
    const latest = await read('offset=latest')
    expect(latest.body).toMatchObject({ data: [], next_offset: 10, latest_offset: 10 })
    const atEnd = await read('offset=10')
    expect(atEnd.status).toBe(200)
    expect(atEnd.body).toMatchObject({ data: [], next_offset: 10 })
  })

  it('seeks by timestamp to the first record at or after it', async () => {
    const exact = await read(`timestamp=${BASE_TIME + 4000}&max_records=2`)
    expect(offsetsOf(exact.body.data)).toEqual([4, 5])
    const between = await read(`timestamp=${BASE_TIME + 6500}`)
    expect(offsetsOf(between.body.data)).toEqual([7, 8, 9])
    const before = await read('timestamp=0&max_records=1')
    expect(offsetsOf(before.body.data)).toEqual([0])
    const after = await read(`timestamp=${BASE_TIME + 60_000}`)
    expect(after.body).toMatchObject({ data: [], next_offset: 10 })
  })

  it('stops at max_records and continues from next_offset', async () => {
    const first = await read('offset=1&max_records=3')
    expect(offsetsOf(first.body.data)).toEqual([1, 2, 3])
    expect(first.body.next_offset).toBe(4)
    const second = await read(`offset=${first.body.next_offset}&max_records=3`)
    expect(offsetsOf(second.body.data)).toEqual([4, 5, 6])
  })

  it('stops at max_bytes, but always returns one record', async () => {
    // Each value is 98 bytes: 250 bytes hold two records, 1 byte still gets one.
    expect(offsetsOf((await read('offset=0&max_bytes=250')).body.data)).toEqual([0, 1])
    expect(offsetsOf((await read('offset=5&max_bytes=1')).body.data)).toEqual([5])
  })

  it('long-polls: an empty read with timeout_ms returns a record produced meanwhile', async () => {
    const started = Date.now()
    const pending = read('offset=0&timeout_ms=5000', 1)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const produced = await h.send('POST', `${C}/topics/${topic}/records`, {
      partition_id: 1,
      value: { type: 'STRING', data: 'late' },
    })
    expect(produced.status).toBe(200)
    const response = await pending
    expect(response.status).toBe(200)
    expect(response.body.data).toEqual([
      expect.objectContaining({ offset: 0, value: { type: 'STRING', data: 'late' } }),
    ])
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(Date.now() - started).toBeLessThan(4000)
  })

  it('long-polls for at most timeout_ms when nothing arrives', async () => {
    const started = Date.now()
    const response = await read('offset=latest&timeout_ms=400')
    expect(response.status).toBe(200)
    expect(response.body.data).toEqual([])
    expect(Date.now() - started).toBeGreaterThanOrEqual(390)
  })

  it('answers 416 41601 naming the valid range for an offset past the end', async () => {
    expectError(await read('offset=11'), 416, 41601, /11.*0 to 10/)
  })

  it('answers 416 41601 for an offset below the log start', async () => {
    const other = uniqueTopic()
    await createTopic(h, other)
    for (let i = 0; i < 3; i++) {
      await h.send('POST', `${C}/topics/${other}/records`, {
        value: { type: 'STRING', data: String(i) },
      })
    }
    // Retention has moved the log start to 2 (set in the head item, as retention will).
    const topicId = (await h.get(`${C}/topics/${other}`)).body.topic_id
    const documents = DynamoDBDocumentClient.from(h.storage.clients.dynamodb)
    await documents.send(
      new UpdateCommand({
        TableName: h.storage.names.tables.partitions,
        Key: { partitionKey: `${topicId}/0` },
        UpdateExpression: 'SET logStartOffset = :start',
        ConditionExpression: 'logEndOffset = :end',
        ExpressionAttributeValues: { ':start': 2, ':end': 3 },
      }),
    )
    const response = await h.get(`${C}/topics/${other}/partitions/0/records?offset=1`)
    expectError(response, 416, 41601, /1.*2 to 3/)
    const earliest = await readRecords(h, other, 0, 'offset=earliest')
    expect(offsetsOf(earliest)).toEqual([2])
  })

  it.each([
    ['offset=-1', /offset/],
    ['offset=abc', /offset.*'abc'/],
    ['offset=1.5', /offset/],
    ['offset=1&timestamp=5', /offset or timestamp/],
    ['timestamp=yesterday', /timestamp/],
    ['max_records=-1', /max_records/],
    ['max_records=10001', /max_records.*10000/],
    ['max_bytes=x', /max_bytes/],
    ['max_bytes=4194305', /max_bytes/],
    ['timeout_ms=30001', /timeout_ms.*30000/],
    ['timeout_ms=-5', /timeout_ms/],
  ])('refuses %s with 400', async (query, message) => {
    expectError(await read(query), 400, 400, message)
  })

  it('answers 404 for an unknown topic or partition', async () => {
    expectError(
      await h.get(`${C}/topics/${uniqueTopic()}/partitions/0/records?offset=0`),
      404,
      40401,
    )
    expectError(await read('offset=0', 2), 404, 40402)
  })
})

describe('segments', () => {
  it('lists the index entries of a partition', async () => {
    const response = await h.get(`${C}/topics/${topic}/partitions/0/segments`)
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({
      topic_name: topic,
      partition_id: 0,
      log_start_offset: 0,
      log_end_offset: 10,
    })
    const entries = response.body.data
    expect(
      entries.map((e: { base_offset: number; last_offset: number; record_count: number }) => [
        e.base_offset,
        e.last_offset,
        e.record_count,
      ]),
    ).toEqual([
      [0, 2, 3],
      [3, 6, 4],
      [7, 9, 3],
    ])
    const topicId = (await h.get(`${C}/topics/${topic}`)).body.topic_id
    for (const entry of entries) {
      expect(entry.object_key).toMatch(new RegExp(`^topics/${topicId}/`))
      expect(entry.byte_offset).toBeGreaterThanOrEqual(0)
      expect(entry.byte_length).toBeGreaterThan(61)
      expect(entry.min_timestamp).toBe(BASE_TIME + entry.base_offset * 1000)
      expect(entry.max_timestamp).toBe(BASE_TIME + entry.last_offset * 1000)
      expect(typeof entry.created_at).toBe('number')
    }
    const later = await h.get(`${C}/topics/${topic}/partitions/0/segments?from_offset=3&limit=1`)
    expect(later.body.data.map((e: { base_offset: number }) => e.base_offset)).toEqual([3])
    // An offset inside an entry starts the listing at the entry that holds it.
    const inside = await h.get(`${C}/topics/${topic}/partitions/0/segments?from_offset=5`)
    expect(inside.body.data.map((e: { base_offset: number }) => e.base_offset)).toEqual([3, 7])
    const empty = await h.get(`${C}/topics/${topic}/partitions/1/segments`)
    expect(empty.body.partition_id).toBe(1)
    expectError(await h.get(`${C}/topics/${topic}/partitions/9/segments`), 404, 40402)
  })
})
