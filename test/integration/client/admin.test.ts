import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiKeys } from '../../../lib/auth/api-keys.ts'
import { SluiceRequestError } from '../../../lib/client/errors.ts'
import { Sluice } from '../../../lib/client/sluice.ts'
import { apiKeyAuthentication } from '../../../lib/http/authenticate.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { countingFetch, type ServedApp, serveApp, uniqueName } from './support.ts'

let served: ServedApp
let sluice: Sluice

beforeAll(async () => {
  served = await serveApp()
  sluice = new Sluice({ url: served.url })
})

afterAll(async () => {
  await served?.close()
})

describe('the admin client', () => {
  it('creates, describes, grows, configures and deletes topics', async () => {
    const admin = sluice.admin()
    const topic = uniqueName('admin')
    const created = await admin.createTopics({
      topics: [
        { topic, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '60000' }] },
      ],
    })
    expect(created).toBe(true)
    expect(await admin.createTopics({ topics: [{ topic }] })).toBe(false)
    expect(await admin.listTopics()).toContain(topic)
    expect(await admin.describeTopic(topic)).toMatchObject({ name: topic, partitionsCount: 2 })

    await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] })
    await admin.alterTopicConfigs(topic, [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'retention.ms', operation: 'DELETE' },
    ])
    const configs = await admin.describeTopicConfigs(topic)
    expect(configs.find((c) => c.name === 'cleanup.policy')).toEqual({
      name: 'cleanup.policy',
      value: 'compact',
      isDefault: false,
    })
    expect(configs.find((c) => c.name === 'retention.ms')?.isDefault).toBe(true)

    const producer = sluice.producer({ lingerMs: 0 })
    await producer.send({ topic, messages: [{ key: 'k', value: 'v', partition: 2 }] })
    await producer.disconnect()
    expect(await admin.fetchTopicOffsets(topic)).toEqual([
      { partition: 0, low: 0, high: 0 },
      { partition: 1, low: 0, high: 0 },
      { partition: 2, low: 0, high: 1 },
    ])

    await admin.deleteTopics({ topics: [topic] })
    expect(await admin.listTopics()).not.toContain(topic)
  })

  it('reports what the server refuses with its code, changing nothing', async () => {
    const admin = sluice.admin()
    const topic = uniqueName('admin')
    const refused = await admin
      .createTopics({ topics: [{ topic, configEntries: [{ name: 'no.such', value: '1' }] }] })
      .catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(SluiceRequestError)
    expect(refused).toMatchObject({ status: 400, errorCode: 40002 })
    expect(await admin.listTopics()).not.toContain(topic)
    await expect(admin.describeTopic(topic)).rejects.toMatchObject({ errorCode: 40401 })
  })

  it('lists, describes, resets and deletes consumer groups', async () => {
    const admin = sluice.admin()
    const topic = uniqueName('admin')
    const group = uniqueName('group')
    await admin.createTopics({ topics: [{ topic }] })
    const producer = sluice.producer({ lingerMs: 0 })
    await producer.send({ topic, messages: ['a', 'b', 'c'].map((value) => ({ value })) })
    await producer.disconnect()

    const reset = await admin.resetGroupOffsets({
      groupId: group,
      target: { to: 'offset', offset: 1 },
      partitions: [{ topic, partition: 0 }],
    })
    expect(reset).toEqual([{ topic, partition: 0, offset: 1 }])
    expect((await admin.listGroups()).map((g) => g.groupId)).toContain(group)
    expect(await admin.describeGroup(group)).toMatchObject({ groupId: group, members: [] })
    expect(await admin.fetchGroupLags(group)).toEqual([
      {
        topic,
        partition: 0,
        currentOffset: 1,
        logEndOffset: 3,
        lag: 2,
        consumerId: '',
        clientId: '',
      },
    ])
    await admin.resetGroupOffsets({ groupId: group, target: { to: 'latest' }, topics: [topic] })
    expect((await admin.fetchGroupLags(group))[0]?.lag).toBe(0)

    await admin.deleteGroups([group])
    await expect(admin.describeGroup(group)).rejects.toMatchObject({ errorCode: 40405 })
  })

  it('reads a partition with typed keys and values, headers and timestamps', async () => {
    const topic = uniqueName('admin')
    await sluice.admin().createTopics({ topics: [{ topic }] })
    const producer = sluice.producer({ lingerMs: 0 })
    const at = new Date('2024-05-01T00:00:00Z')
    await producer.send({
      topic,
      messages: [
        { key: 'k', value: { type: 'JSON', data: { n: 1 } }, headers: { h: 'x' }, timestamp: at },
        { key: Buffer.from([1, 2]), value: null },
      ],
    })
    await producer.disconnect()
    const page = await sluice.readPartition({ topic, partition: 0, from: 'earliest' })
    expect(page.nextOffset).toBe(2)
    expect(page.records.map(({ key, value, timestamp }) => ({ key, value, timestamp }))).toEqual([
      {
        key: { type: 'STRING', data: 'k' },
        value: { type: 'JSON', data: { n: 1 } },
        timestamp: at,
      },
      { key: { type: 'BINARY', data: 'AQI=' }, value: null, timestamp: expect.any(Date) },
    ])
    expect(page.records[0]?.headers).toEqual([{ name: 'h', value: Buffer.from('x') }])
  })
})

describe('the schema registry client', () => {
  it('registers, reads, checks and produces Avro through the registry', async () => {
    const registry = sluice.registry()
    const topic = uniqueName('avro')
    const subject = `${topic}-value`
    const schema = JSON.stringify({
      type: 'record',
      name: 'Order',
      fields: [{ name: 'id', type: 'long' }],
    })
    const id = await registry.register(subject, schema)
    expect(await registry.listSubjects()).toContain(subject)
    expect(await registry.version(subject)).toMatchObject({ subject, version: 1, id })
    const renamed = JSON.stringify({
      type: 'record',
      name: 'Order',
      fields: [{ name: 'id', type: 'string' }],
    })
    const check = await registry.checkCompatibility(subject, renamed)
    expect(check.isCompatible).toBe(false)
    expect(check.messages.join(' ')).toMatch(/id/)
    await registry.setCompatibility('NONE', subject)
    expect(await registry.compatibility(subject)).toBe('NONE')

    await sluice.admin().createTopics({ topics: [{ topic }] })
    const producer = sluice.producer({ lingerMs: 0 })
    await producer.send({
      topic,
      messages: [{ value: { type: 'AVRO', data: { id: 7 }, schemaId: id } }],
    })
    await producer.disconnect()
    const page = await sluice.readPartition({ topic, partition: 0, from: 0 })
    expect(page.records[0]?.value).toEqual({ type: 'AVRO', data: { id: 7 }, schemaId: id })
    expect(await registry.deleteSubject(subject)).toEqual([1])
  })
})

describe('authentication', () => {
  it('sends an API key as a bearer token; without one the server refuses, once', async () => {
    const keys = new ApiKeys(awsStorage(served.storage.clients, served.storage.names).apiKeys)
    const { apiKey } = await keys.issue('client test', Date.now())
    const guarded = await serveApp({ authenticate: apiKeyAuthentication(keys) })
    try {
      const withKey = new Sluice({
        url: guarded.url,
        auth: { type: 'api-key', key: apiKey },
      })
      expect(await withKey.admin().listTopics()).toEqual([])
      const counter = countingFetch()
      const without = new Sluice({ url: guarded.url, fetch: counter.fetch })
      await expect(without.admin().listTopics()).rejects.toMatchObject({
        status: 401,
        errorCode: 40101,
        retriable: false,
      })
      expect(counter.requests).toEqual(['GET /v3/clusters'])
    } finally {
      await guarded.close()
    }
  })
})
