import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { Maintenance } from '../../../lib/maintenance/maintenance.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { countCommands, loseResponse } from '../../support/faults.ts'
import {
  base64,
  C,
  createTopic,
  expectError,
  type Harness,
  type Json,
  uniqueTopic,
} from '../http/support.ts'
import {
  BINARY_V2,
  Consumer,
  createGroupsHarness,
  JSON_V2,
  produceJson,
  uniqueGroup,
  V2,
} from './support.ts'

let h: Harness

beforeAll(async () => {
  h = await createGroupsHarness()
})

const values = (records: Json[]) => records.map((r) => r.value)

async function subscribed(config: Json, topic: string, group = uniqueGroup()): Promise<Consumer> {
  const consumer = await Consumer.create(h, group, config)
  await consumer.subscribe([topic])
  return consumer
}

describe('records', () => {
  it('come back as JSON for a json instance, with the json content type', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    await produceJson(h, topic, 0, [{ a: 1 }, 'two', [3], null])
    const consumer = await subscribed({ format: 'json', 'auto.offset.reset': 'earliest' }, topic)
    const response = await consumer.records('timeout=0', JSON_V2)
    expect(response.status, response.text).toBe(200)
    expect(response.headers.get('content-type')).toBe(JSON_V2)
    expect(response.body).toEqual([
      { topic, partition: 0, offset: 0, key: null, value: { a: 1 } },
      { topic, partition: 0, offset: 1, key: null, value: 'two' },
      { topic, partition: 0, offset: 2, key: null, value: [3] },
      { topic, partition: 0, offset: 3, key: null, value: null },
    ])
  })

  it('come back as base64 for a binary instance', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    const bytes = Uint8Array.from([0, 255, 10])
    const produced = await h.send(
      'POST',
      `/topics/${topic}`,
      { records: [{ key: base64('k'), value: base64(bytes) }] },
      BINARY_V2,
    )
    expect(produced.status).toBe(200)
    const consumer = await subscribed({ format: 'binary', 'auto.offset.reset': 'earliest' }, topic)
    const response = await consumer.records('timeout=0', BINARY_V2)
    expect(response.headers.get('content-type')).toBe(BINARY_V2)
    expect(response.body).toEqual([
      { topic, partition: 0, offset: 0, key: base64('k'), value: base64(bytes) },
    ])
  })

  it('stop in front of a record a json instance cannot parse, until the instance moves past it', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    await produceJson(h, topic, 0, [{ n: 0 }])
    await h.send(
      'POST',
      `/topics/${topic}`,
      { records: [{ value: base64('not json') }] },
      BINARY_V2,
    )
    await produceJson(h, topic, 0, [{ n: 2 }])
    const consumer = await subscribed({ format: 'json', 'auto.offset.reset': 'earliest' }, topic)
    expect(values(await consumer.poll())).toEqual([{ n: 0 }])
    const refused = await consumer.records()
    expectError(refused, 422, 42203, /value at offset 1 of .*\/0 is not JSON/)
    expectError(await consumer.records(), 422, 42203)
    const moved = await h.send('POST', `${consumer.path}/positions`, {
      offsets: [{ topic, partition: 0, offset: 2 }],
    })
    expect(moved.status, moved.text).toBe(204)
    expect(values(await consumer.poll())).toEqual([{ n: 2 }])
  })

  it('wait up to the timeout for records and return as soon as some arrive', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    const consumer = await subscribed({ format: 'json', 'auto.offset.reset': 'earliest' }, topic)
    expect(await consumer.poll()).toEqual([])
    const started = Date.now()
    const [response] = await Promise.all([
      consumer.records('timeout=5000'),
      new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
        produceJson(h, topic, 1, ['late']),
      ),
    ])
    expect(response.body.map((r: Json) => r.value)).toEqual(['late'])
    expect(Date.now() - started).toBeLessThan(4000)
  })

  it('come from every held partition with their heads read in one request', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 4)
    const consumer = await subscribed({ format: 'json', 'auto.offset.reset': 'earliest' }, topic)
    expect(await consumer.poll()).toEqual([])
    for (const partition of [0, 1, 2, 3]) await produceJson(h, topic, partition, [partition])
    const counter = countCommands(h.storage.clients.dynamodb)
    onTestFinished(() => counter.remove())
    const response = await consumer.records('timeout=0')
    counter.remove()
    expect(values(response.body).sort()).toEqual([0, 1, 2, 3])
    const reads = counter.calls.filter((c) => c.commandName === 'BatchGetItemCommand')
    expect(reads).toHaveLength(1)
  })
})

describe('auto.offset.reset', () => {
  it('latest starts at the log end; earliest at the start; none refuses until a position is set', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    await produceJson(h, topic, 0, ['old'])
    const latest = await subscribed({ format: 'json' }, topic)
    const earliest = await subscribed({ format: 'json', 'auto.offset.reset': 'earliest' }, topic)
    const none = await subscribed({ format: 'json', 'auto.offset.reset': 'none' }, topic)
    expect(await latest.poll()).toEqual([])
    expectError(await none.records(), 409, 40903, /no committed offset/i)
    await produceJson(h, topic, 0, ['new'])
    expect(values(await latest.poll())).toEqual(['new'])
    expect(values(await earliest.poll())).toEqual(['old', 'new'])
    const seek = await h.send('POST', `${none.path}/positions/beginning`, {
      partitions: [{ topic, partition: 0 }],
    })
    expect(seek.status, seek.text).toBe(204)
    expect(values(await none.poll())).toEqual(['old', 'new'])
  })

  it('applies to a committed offset outside the log; none reports it as out of range', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    await produceJson(h, topic, 0, ['a', 'b'])
    const group = uniqueGroup()
    const manual = await Consumer.create(h, group, { 'auto.commit.enable': 'false' })
    await h.send('POST', `${manual.path}/assignments`, { partitions: [{ topic, partition: 0 }] })
    expect((await manual.commit([{ topic, partition: 0, offset: 99 }])).status).toBe(200)
    await manual.delete()

    const none = await subscribed({ format: 'json', 'auto.offset.reset': 'none' }, topic, group)
    expectError(await none.records(), 416, 41601, /Offset 100 is out of range/)
    await none.delete()
    const earliest = await subscribed(
      { format: 'json', 'auto.offset.reset': 'earliest' },
      topic,
      group,
    )
    expect(values(await earliest.poll())).toEqual(['a', 'b'])
  })

  it('applies when the topic was re-created: its committed offsets belong to the old one', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    await produceJson(h, topic, 0, ['a', 'b'])
    const group = uniqueGroup()
    const reset = await h.send('POST', `${C}/consumer-groups/${group}/offsets:reset`, {
      to: 'latest',
      topics: [topic],
    })
    expect(reset.status, reset.text).toBe(200)
    await h.request(`${C}/topics/${topic}`, { method: 'DELETE' })
    await createTopic(h, topic, 1)
    await produceJson(h, topic, 0, ['fresh'])
    const consumer = await subscribed(
      { format: 'json', 'auto.offset.reset': 'earliest' },
      topic,
      group,
    )
    expect(values(await consumer.poll())).toEqual(['fresh'])
  })
})

describe('offsets', () => {
  it('commit all records read so far with an empty body, or the ones named, plus one', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    await produceJson(h, topic, 0, ['a', 'b', 'c'])
    await produceJson(h, topic, 1, ['d'])
    const consumer = await subscribed(
      { format: 'json', 'auto.offset.reset': 'earliest', 'auto.commit.enable': 'false' },
      topic,
    )
    expect(await consumer.poll()).toHaveLength(4)
    expect(await consumer.committed()).toEqual([])
    expect((await consumer.commit()).status).toBe(200)
    expect(await consumer.committed()).toEqual([
      { topic, partition: 0, offset: 3, metadata: '' },
      { topic, partition: 1, offset: 1, metadata: '' },
    ])
    const explicit = await h.send('POST', `${consumer.path}/offsets`, {
      offsets: [{ topic, partition: 0, offset: 0, metadata: 'checkpoint' }],
    })
    expect(explicit.status, explicit.text).toBe(200)
    expect(await consumer.committed(`${topic}:0`)).toEqual([
      { topic, partition: 0, offset: 1, metadata: 'checkpoint' },
    ])
  })

  it('are committed on every records call with auto-commit, and when the instance closes', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    await produceJson(h, topic, 0, ['a', 'b'])
    const group = uniqueGroup()
    const first = await subscribed(
      { format: 'json', 'auto.offset.reset': 'earliest' },
      topic,
      group,
    )
    expect(values(await first.poll())).toEqual(['a', 'b'])
    expect(await first.committed()).toEqual([])
    await first.poll()
    expect(await first.committed()).toEqual([{ topic, partition: 0, offset: 2, metadata: '' }])
    await produceJson(h, topic, 0, ['c'])
    expect(values(await first.poll())).toEqual(['c'])
    await first.delete()
    const second = await subscribed(
      { format: 'json', 'auto.offset.reset': 'earliest' },
      topic,
      group,
    )
    expect(await second.poll()).toEqual([])
    expect(await second.committed()).toEqual([{ topic, partition: 0, offset: 3, metadata: '' }])
  })
})

describe('positions', () => {
  it('move to an offset, the first record at or after a time, and either end', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    const base = Date.parse('2024-05-01T00:00:00Z')
    const produced = await h.send('POST', `${C}/topics/${topic}/records:batch`, {
      entries: [0, 1, 2, 3].map((n) => ({
        id: String(n),
        partition_id: 0,
        value: { type: 'JSON', data: n },
        timestamp: new Date(base + n * 60_000).toISOString(),
      })),
    })
    expect(produced.status, produced.text).toBe(207)
    const consumer = await subscribed({ format: 'json', 'auto.offset.reset': 'earliest' }, topic)
    await consumer.poll()
    const seek = (path: string, body: Json) =>
      h.send('POST', `${consumer.path}/positions${path}`, body).then((r) => {
        expect(r.status, r.text).toBe(204)
      })
    await seek('', {
      timestamps: [{ topic, partition: 0, timestamp: new Date(base + 90_000).toISOString() }],
    })
    expect(values(await consumer.poll())).toEqual([2, 3])
    await seek('', { offsets: [{ topic, partition: 0, offset: 1 }] })
    expect(values(await consumer.poll())).toEqual([1, 2, 3])
    await seek('/beginning', { partitions: [{ topic, partition: 0 }] })
    expect(values(await consumer.poll())).toEqual([0, 1, 2, 3])
    await seek('/end', { partitions: [{ topic, partition: 0 }] })
    expect(await consumer.poll()).toEqual([])
  })
})

describe('manual assignment', () => {
  it('reads the partitions named, and commits only while the group has no members', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 3)
    await produceJson(h, topic, 2, ['x'])
    const group = uniqueGroup()
    const manual = await Consumer.create(h, group, {
      format: 'json',
      'auto.offset.reset': 'earliest',
      'auto.commit.enable': false,
    })
    const assign = await h.send('POST', `${manual.path}/assignments`, {
      partitions: [{ topic, partition: 2 }],
    })
    expect(assign.status, assign.text).toBe(204)
    expect(await manual.assignment()).toEqual([`${topic}/2`])
    expect(values(await manual.poll())).toEqual(['x'])
    expect((await manual.commit()).status).toBe(200)
    expect(await manual.committed()).toEqual([{ topic, partition: 2, offset: 1, metadata: '' }])

    await subscribed({ format: 'json' }, topic, group)
    expectError(await manual.commit(), 409, 40903, /^UNKNOWN_MEMBER_ID: .*has members/)
  })
})

describe('subscriptions', () => {
  it('list the topics subscribed, or those a pattern matches, and leave the group when deleted', async () => {
    const prefix = uniqueTopic('pat')
    await createTopic(h, `${prefix}-a`, 1)
    await createTopic(h, `${prefix}-b`, 1)
    await createTopic(h, `x${prefix}`, 1)
    const group = uniqueGroup()
    const consumer = await Consumer.create(h, group)
    const pattern = await h.send('POST', `${consumer.path}/subscription`, {
      topic_pattern: `${prefix}-.*`,
    })
    expect(pattern.status, pattern.text).toBe(204)
    const listed = await h.get(`${consumer.path}/subscription`)
    expect(listed.headers.get('content-type')).toBe(V2)
    expect(listed.body).toEqual({ topics: [`${prefix}-a`, `${prefix}-b`] })
    expect((await consumer.assignment()).sort()).toEqual([`${prefix}-a/0`, `${prefix}-b/0`])

    const consumers = await h.get(`${C}/consumer-groups/${group}/consumers`)
    expect(consumers.body.data).toHaveLength(1)
    const left = await h.request(`${consumer.path}/subscription`, { method: 'DELETE' })
    expect(left.status).toBe(204)
    expect((await h.get(`${consumer.path}/subscription`)).body).toEqual({ topics: [] })
    expect(await consumer.assignment()).toEqual([])
    expect((await h.get(`${C}/consumer-groups/${group}`)).body.state).toBe('EMPTY')
  })
})

describe('an instance create whose answer was lost, retried by the SDK', () => {
  it('creates the instance once and answers with it', async () => {
    const group = uniqueGroup()
    const lost = loseResponse(h.storage.clients.dynamodb, 'PutItemCommand', { times: 1 })
    const created = await h.send('POST', `/consumers/${group}`, { name: 'once' })
    lost.remove()
    expect(lost.hits).toBe(1)
    expect(created.status, created.text).toBe(200)
    expect(created.body.instance_id).toBe('once')
    expectError(await h.send('POST', `/consumers/${group}`, { name: 'once' }), 409, 40902)
  })
})

describe('a consumer of a compacted topic whose tail was removed', () => {
  it('moves past the removed offsets and commits the log end', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1, {
      'cleanup.policy': 'compact',
      'delete.retention.ms': '0',
      'segment.ms': '1',
    })
    const string = (data: string) => ({ type: 'STRING', data })
    for (const record of [
      { key: string('a'), value: string('a1') },
      { key: string('b'), value: string('b1') },
      { key: string('b') },
    ]) {
      const produced = await h.send('POST', `${C}/topics/${topic}/records`, record)
      expect(produced.status, produced.text).toBe(200)
    }
    const maintenance = new Maintenance(awsStorage(h.storage.clients, h.storage.names), {
      log: () => {},
    })
    await maintenance.run({ topics: [topic], tasks: ['compact'], budgetMs: 60_000 })

    const consumer = await subscribed(
      { format: 'binary', 'auto.offset.reset': 'earliest', 'auto.commit.enable': false },
      topic,
    )
    expect((await consumer.poll()).map((r) => r.offset)).toEqual([0])
    expect(await consumer.poll()).toEqual([])
    expect((await consumer.commit()).status).toBe(200)
    expect(await consumer.committed()).toEqual([{ topic, partition: 0, offset: 3, metadata: '' }])
  })
})
