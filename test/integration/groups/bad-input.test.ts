import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createTopic,
  expectError,
  type Harness,
  type Response,
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
let topic: string

/** Kafka's own bounds for user configs: this app is built with the default group options. */
beforeAll(async () => {
  h = await createGroupsHarness({})
  topic = uniqueTopic()
  await createTopic(h, topic, 2)
  await produceJson(h, topic, 0, ['a'])
})

/** Every item of the group, offset and instance tables, to compare before and after a refusal. */
async function groupTables(): Promise<unknown[]> {
  const documents = DynamoDBDocumentClient.from(h.storage.clients.dynamodb)
  const { tables } = h.storage.names
  const items: unknown[] = []
  for (const table of [tables.groups, tables.groupOffsets, tables.consumerInstances]) {
    const rows: string[] = []
    for await (const page of paginateScan(
      { client: documents },
      { TableName: table, ConsistentRead: true },
    )) {
      for (const item of page.Items ?? []) rows.push(JSON.stringify(item, Object.keys(item).sort()))
    }
    items.push(rows.sort())
  }
  return items
}

/** Sends a request that must be refused with `status`/`code`, and checks it changed nothing. */
async function refused(
  request: () => Promise<Response>,
  status: number,
  code: number,
  message?: RegExp,
): Promise<void> {
  const before = await groupTables()
  expectError(await request(), status, code, message)
  expect(await groupTables()).toEqual(before)
}

describe('refused requests change nothing', () => {
  it('unknown instances: 404 40403', async () => {
    const path = `/consumers/${uniqueGroup()}/instances/nobody`
    await refused(
      () => h.get(`${path}/records`),
      404,
      40403,
      /Consumer instance 'nobody' not found/,
    )
    await refused(() => h.send('POST', `${path}/subscription`, { topics: [topic] }), 404, 40403)
    await refused(() => h.request(`${path}/offsets`, { method: 'POST' }), 404, 40403)
    await refused(() => h.get(`${path}/assignments`), 404, 40403)
    await refused(() => h.request(path, { method: 'DELETE' }), 404, 40403)
  })

  it('mixing subscription and manual assignment: 409 40903', async () => {
    const group = uniqueGroup()
    const member = await Consumer.create(h, group)
    await member.subscribe([topic])
    await refused(
      () => h.send('POST', `${member.path}/assignments`, { partitions: [{ topic, partition: 0 }] }),
      409,
      40903,
      /mutually exclusive/,
    )
    const manual = await Consumer.create(h, uniqueGroup())
    await h.send('POST', `${manual.path}/assignments`, { partitions: [{ topic, partition: 1 }] })
    await refused(
      () => h.send('POST', `${manual.path}/subscription`, { topics: [topic] }),
      409,
      40903,
      /mutually exclusive/,
    )
  })

  it('asking for another embedded format than the instance’s: 406 40601', async () => {
    const consumer = await Consumer.create(h, uniqueGroup(), { format: 'json' })
    await consumer.subscribe([topic])
    await refused(() => consumer.records('timeout=0', BINARY_V2), 406, 40601, /json/)
    expect((await consumer.records('timeout=0', JSON_V2)).status).toBe(200)
  })

  it('invalid consumer configs: 422 42204; a taken name: 409 40902', async () => {
    const group = uniqueGroup()
    const create = (config: unknown) => () => h.send('POST', `/consumers/${group}`, config)
    await refused(create({ format: 'protobuf' }), 422, 42204, /schema registry/)
    await refused(create({ format: 'xml' }), 422, 42204, /format 'xml'/)
    await refused(create({ 'auto.offset.reset': 'smallest' }), 422, 42204, /auto\.offset\.reset/)
    await refused(create({ 'auto.commit.enable': 'maybe' }), 422, 42204, /auto\.commit\.enable/)
    await refused(create({ 'session.timeout.ms': 1000 }), 422, 42204, /from 6000 to 1800000/)
    await refused(create({ 'partition.assignment.strategy': 'sticky' }), 422, 42204)
    await refused(create({ 'fetch.wait.max.ms': 10 }), 422, 42204, /fetch\.wait\.max\.ms/)
    await refused(create({ name: 'has space' }), 422, 42204, /name 'has space'/)
    await refused(create('"not an object"'), 422, 42204)
    await Consumer.create(h, group, { name: 'taken', 'session.timeout.ms': '45000' })
    await refused(create({ name: 'taken' }), 409, 40902, /already exists/)
  })

  it('malformed bodies, bad subscriptions and foreign partitions', async () => {
    const consumer = await Consumer.create(h, uniqueGroup(), { 'auto.commit.enable': false })
    const post =
      (path: string, body: unknown, type = V2) =>
      () =>
        h.send('POST', `${consumer.path}${path}`, body, type)
    await refused(post('/subscription', '{"topics": [', V2), 400, 400, /Malformed JSON/)
    await refused(post('/subscription', { topics: [topic] }, 'text/plain'), 415, 415)
    await refused(post('/subscription', { topics: [topic], topic_pattern: 'x' }), 400, 400)
    await refused(post('/subscription', { topics: [] }), 400, 400, /at least one topic/)
    await refused(post('/subscription', { topics: ['bad/name'] }), 400, 40002)
    await refused(post('/subscription', { topic_pattern: 'orders(' }), 400, 400, /topic_pattern/)
    await refused(
      post('/assignments', { partitions: [{ topic: 'missing', partition: 0 }] }),
      404,
      40401,
    )
    await refused(post('/assignments', { partitions: [{ topic, partition: 9 }] }), 404, 40402)

    await consumer.subscribe([topic])
    await consumer.poll()
    const held = await consumer.assignment()
    expect(held.sort()).toEqual([`${topic}/0`, `${topic}/1`])
    await refused(
      post('/positions', { offsets: [{ topic: 'other', partition: 0, offset: 1 }] }),
      409,
      40903,
      /No current assignment for partition other-0/,
    )
    await refused(post('/positions', {}), 400, 400)
    await refused(
      post('/positions', { timestamps: [{ topic, partition: 0, timestamp: 'yesterday' }] }),
      400,
      400,
      /RFC 3339/,
    )
    await refused(
      post('/offsets', { offsets: [{ topic: 'missing', partition: 0, offset: 1 }] }),
      404,
      40401,
    )
    await refused(post('/offsets', { offsets: [{ topic, partition: 0, offset: -1 }] }), 400, 400)
    await refused(
      post('/offsets', {
        offsets: [{ topic, partition: 0, offset: 1, metadata: 'm'.repeat(4097) }],
      }),
      400,
      400,
      /limit is 4096/,
    )
    await refused(
      () => h.get(`${consumer.path}/offsets?partitions=${topic}`),
      400,
      400,
      /topic:partition/,
    )
    await refused(() => consumer.records('timeout=soon'), 400, 400, /timeout/)
  })

  it('a member committing a partition it does not hold: 409 STALE_MEMBER_EPOCH', async () => {
    const other = uniqueTopic()
    await createTopic(h, other, 1)
    const consumer = await Consumer.create(h, uniqueGroup(), { 'auto.commit.enable': false })
    await consumer.subscribe([topic])
    await refused(
      () => consumer.commit([{ topic: other, partition: 0, offset: 0 }]),
      409,
      40903,
      new RegExp(`^STALE_MEMBER_EPOCH: .* does not hold ${other}/0`),
    )
  })
})
