import { beforeAll, describe, expect, it } from 'vitest'
import {
  C,
  createHarness,
  createTopic,
  expectError,
  type Harness,
  topicNames,
  uniqueTopic,
} from './support.ts'

let h: Harness

beforeAll(async () => {
  h = await createHarness()
})

describe('clusters', () => {
  it('lists the one cluster', async () => {
    const response = await h.get('/v3/clusters')
    expect(response.status).toBe(200)
    expect(response.body.kind).toBe('KafkaClusterList')
    expect(response.body.metadata.self).toBe('http://localhost/v3/clusters')
    expect(response.body.data).toHaveLength(1)
    expect(response.body.data[0]).toMatchObject({
      kind: 'KafkaCluster',
      cluster_id: 'local',
      metadata: { self: 'http://localhost/v3/clusters/local' },
    })
  })

  it('describes the cluster by its id', async () => {
    const response = await h.get(C)
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({
      kind: 'KafkaCluster',
      cluster_id: 'local',
      metadata: { self: 'http://localhost/v3/clusters/local' },
      topics: { related: 'http://localhost/v3/clusters/local/topics' },
    })
  })

  it('serves every resource the cluster, a topic and a partition link to, as one logical broker', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    const related = (resource: Record<string, unknown>) =>
      Object.values(resource).flatMap((value) =>
        value && typeof value === 'object' && 'related' in value ? [String(value.related)] : [],
      )
    const cluster = (await h.get(C)).body
    const partition = (await h.get(`${C}/topics/${topic}/partitions/1`)).body
    const links = [...related(cluster), ...related(partition)].filter(
      // Reassignments are Kafka's moves of replicas between brokers: one broker has none to list.
      (link) => !link.includes('reassignment'),
    )
    expect(links).toEqual(
      expect.arrayContaining([
        'http://localhost/v3/clusters/local/brokers',
        'http://localhost/v3/clusters/local/brokers/0',
        'http://localhost/v3/clusters/local/acls',
        'http://localhost/v3/clusters/local/broker-configs',
        `http://localhost/v3/clusters/local/topics/${topic}/partitions/1/replicas/0`,
      ]),
    )
    for (const link of links) {
      const response = await h.get(new URL(link).pathname)
      expect(response.status, link).toBe(200)
    }
    const brokers = (await h.get(`${C}/brokers`)).body
    expect(brokers.data).toEqual([
      expect.objectContaining({ kind: 'KafkaBroker', broker_id: 0, host: 'localhost' }),
    ])
    for (const link of related(brokers.data[0])) {
      expect((await h.get(new URL(link).pathname)).status, link).toBe(200)
    }
    const replicas = (await h.get(`${C}/brokers/0/partition-replicas`)).body.data
    expect(replicas.filter((r: { topic_name: string }) => r.topic_name === topic)).toEqual([
      expect.objectContaining({ partition_id: 0, broker_id: 0, is_leader: true, is_in_sync: true }),
      expect.objectContaining({ partition_id: 1, broker_id: 0, is_leader: true, is_in_sync: true }),
    ])
    expect((await h.get(`${C}/acls`)).body).toMatchObject({ kind: 'KafkaAclList', data: [] })
    expectError(await h.get(`${C}/brokers/1`), 404, 404, /one logical broker/)
    expectError(await h.get(`${C}/topics/${topic}/partitions/0/replicas/2`), 404, 404)
    expectError(await h.get(`${C}/topics/${topic}/partitions/2/replicas`), 404, 40402)
  })

  it('answers 404 for another cluster id, on the cluster and below it', async () => {
    expectError(await h.get('/v3/clusters/other'), 404, 404, /other/)
    expectError(await h.get('/v3/clusters/other/topics'), 404, 404, /other/)
  })

  it('answers 404 JSON for an unknown route', async () => {
    expectError(await h.get('/nowhere'), 404, 404)
    expectError(await h.send('POST', `${C}/topics/x/unknown`, {}), 404, 404)
  })
})

describe('topics', () => {
  it('creates a topic with partitions and configs, then lists and gets it', async () => {
    const name = uniqueTopic()
    const created = await h.send('POST', `${C}/topics`, {
      topic_name: name,
      partitions_count: 3,
      configs: [{ name: 'retention.ms', value: '1000' }],
    })
    expect(created.status, created.text).toBe(201)
    expect(created.body).toMatchObject({
      kind: 'KafkaTopic',
      cluster_id: 'local',
      topic_name: name,
      partitions_count: 3,
      metadata: { self: `http://localhost${C}/topics/${name}` },
    })

    expect(await topicNames(h)).toContain(name)
    const got = await h.get(`${C}/topics/${name}`)
    expect(got.status).toBe(200)
    expect(got.body).toMatchObject({ topic_name: name, partitions_count: 3 })
    expect(got.body.topic_id).toBe(created.body.topic_id)

    const config = await h.get(`${C}/topics/${name}/configs/retention.ms`)
    expect(config.body).toMatchObject({ value: '1000', is_default: false })
  })

  it('creates one partition when partitions_count is not given', async () => {
    const name = uniqueTopic()
    const created = await h.send('POST', `${C}/topics`, { topic_name: name })
    expect(created.status).toBe(201)
    expect(created.body.partitions_count).toBe(1)
  })

  it('validate_only checks the request and creates nothing', async () => {
    const name = uniqueTopic()
    const response = await h.send('POST', `${C}/topics`, {
      topic_name: name,
      partitions_count: 2,
      validate_only: true,
    })
    expect(response.status).toBe(201)
    expect(response.body.topic_name).toBe(name)
    expect(await topicNames(h)).not.toContain(name)
    expectError(await h.get(`${C}/topics/${name}`), 404, 40401)

    const invalid = await h.send('POST', `${C}/topics`, {
      topic_name: name,
      partitions_count: 0,
      validate_only: true,
    })
    expectError(invalid, 400, 40002, /partitions/i)
  })

  it('refuses to create a topic that exists', async () => {
    const name = uniqueTopic()
    await createTopic(h, name, 2)
    const again = await h.send('POST', `${C}/topics`, { topic_name: name, partitions_count: 5 })
    expectError(again, 400, 40002, new RegExp(`'${name}' already exists`))
    expect((await h.get(`${C}/topics/${name}`)).body.partitions_count).toBe(2)
  })

  it.each([
    ['empty', '', /empty/],
    ['.', '.', /'\.'/],
    ['..', '..', /'\.\.'/],
    ['250 characters', 'a'.repeat(250), /250 characters.*249/],
    ['a space', 'a b', /illegal/],
    ['a non-ASCII letter', 'caf\u00e9', /illegal/],
    ['a slash', 'a/b', /illegal/],
  ])('refuses a topic name that is %s', async (_, name, message) => {
    const before = await topicNames(h)
    const response = await h.send('POST', `${C}/topics`, { topic_name: name })
    expectError(response, 400, 40002, message)
    expect(await topicNames(h)).toEqual(before)
  })

  it('accepts a name of 249 legal characters', async () => {
    const name = `${uniqueTopic('Aa0._-')}${'x'.repeat(249)}`.slice(0, 249)
    await createTopic(h, name)
    expect(await topicNames(h)).toContain(name)
  })

  it.each([
    [0, /got 0/],
    [-1, /got -1/],
    [1.5, /got 1.5/],
    [1001, /1 to 1000.*got 1001/],
  ])('refuses partitions_count %s with 40002', async (count, message) => {
    const name = uniqueTopic()
    const response = await h.send('POST', `${C}/topics`, {
      topic_name: name,
      partitions_count: count,
    })
    expectError(response, 400, 40002, message)
    expect(await topicNames(h)).not.toContain(name)
  })

  it.each([
    ['retention.ms', 'abc', /'abc'.*'retention\.ms'.*integer/],
    ['cleanup.policy', 'bogus', /'bogus'.*'cleanup\.policy'/],
    ['max.message.bytes', '-5', /'max\.message\.bytes'.*at least 0/],
    ['no.such.config', '1', /Unknown topic config 'no\.such\.config'/],
  ])('refuses config %s=%s with 40002', async (config, value, message) => {
    const name = uniqueTopic()
    const response = await h.send('POST', `${C}/topics`, {
      topic_name: name,
      configs: [{ name: config, value }],
    })
    expectError(response, 400, 40002, message)
    expect(await topicNames(h)).not.toContain(name)
  })

  it('increases the partition count with PATCH, and refuses to shrink or keep it', async () => {
    const name = uniqueTopic()
    await createTopic(h, name, 2)
    const grown = await h.send('PATCH', `${C}/topics/${name}`, { partitions_count: 4 })
    expect(grown.status, grown.text).toBe(200)
    expect(grown.body.partitions_count).toBe(4)
    expect((await h.get(`${C}/topics/${name}/partitions`)).body.data).toHaveLength(4)
    expect((await h.get(`${C}/topics/${name}/partitions/3`)).status).toBe(200)
    const produced = await h.send('POST', `${C}/topics/${name}/records`, {
      partition_id: 3,
      value: { type: 'STRING', data: 'new partition' },
    })
    expect(produced.body).toMatchObject({ error_code: 200, partition_id: 3, offset: 0 })

    const shrink = await h.send('PATCH', `${C}/topics/${name}`, { partitions_count: 3 })
    expectError(shrink, 400, 40002, /4 partitions/)
    const same = await h.send('PATCH', `${C}/topics/${name}`, { partitions_count: 4 })
    expectError(same, 400, 40002, /4 partitions/)
    const fractional = await h.send('PATCH', `${C}/topics/${name}`, { partitions_count: 4.5 })
    expectError(fractional, 400, 40002, /4\.5/)
    expect((await h.get(`${C}/topics/${name}`)).body.partitions_count).toBe(4)

    const unknown = await h.send('PATCH', `${C}/topics/${uniqueTopic()}`, { partitions_count: 9 })
    expectError(unknown, 404, 40401)
  })

  it('deletes a topic: 204, then 404 40401 everywhere', async () => {
    const name = uniqueTopic()
    await createTopic(h, name)
    const deleted = await h.request(`${C}/topics/${name}`, { method: 'DELETE' })
    expect(deleted.status).toBe(204)
    expect(deleted.text).toBe('')
    expect(await topicNames(h)).not.toContain(name)
    expectError(await h.get(`${C}/topics/${name}`), 404, 40401, new RegExp(name))
    expectError(await h.get(`${C}/topics/${name}/partitions/0`), 404, 40401)
    expectError(await h.request(`${C}/topics/${name}`, { method: 'DELETE' }), 404, 40401)
  })

  it('re-creates a deleted topic empty', async () => {
    const name = uniqueTopic()
    await createTopic(h, name)
    const produced = await h.send('POST', `${C}/topics/${name}/records`, {
      value: { type: 'STRING', data: 'old' },
    })
    expect(produced.status).toBe(200)
    const oldId = (await h.get(`${C}/topics/${name}`)).body.topic_id
    expect((await h.request(`${C}/topics/${name}`, { method: 'DELETE' })).status).toBe(204)
    await createTopic(h, name)
    expect((await h.get(`${C}/topics/${name}`)).body.topic_id).not.toBe(oldId)
    const offsets = await h.get(`${C}/topics/${name}/partitions/0/offset`)
    expect(offsets.body).toMatchObject({ earliest_offset: 0, latest_offset: 0 })
    const read = await h.get(`${C}/topics/${name}/partitions/0/records?offset=0`)
    expect(read.body.data).toEqual([])
    expect((await h.get(`${C}/topics/${name}/partitions/0/segments`)).body.data).toEqual([])
  })
})

describe('configs', () => {
  it('lists every known config with its default', async () => {
    const name = uniqueTopic()
    await createTopic(h, name, 1, { 'cleanup.policy': 'compact' })
    const response = await h.get(`${C}/topics/${name}/configs`)
    expect(response.status).toBe(200)
    expect(response.body.kind).toBe('KafkaTopicConfigList')
    const byName = new Map<string, { value: string; is_default: boolean; source: string }>(
      response.body.data.map((config: { name: string }) => [config.name, config]),
    )
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining([
        'cleanup.policy',
        'retention.ms',
        'retention.bytes',
        'segment.bytes',
        'max.message.bytes',
        'message.timestamp.type',
      ]),
    )
    expect(byName.get('retention.ms')).toMatchObject({
      value: '604800000',
      is_default: true,
      source: 'DEFAULT_CONFIG',
    })
    expect(byName.get('max.message.bytes')).toMatchObject({ value: '1048588', is_default: true })
    expect(byName.get('cleanup.policy')).toMatchObject({
      value: 'compact',
      is_default: false,
      source: 'DYNAMIC_TOPIC_CONFIG',
    })
  })

  it('gets one config, and 404 for an unknown one', async () => {
    const name = uniqueTopic()
    await createTopic(h, name)
    const response = await h.get(`${C}/topics/${name}/configs/retention.ms`)
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({
      kind: 'KafkaTopicConfig',
      topic_name: name,
      name: 'retention.ms',
      value: '604800000',
      is_default: true,
    })
    expectError(await h.get(`${C}/topics/${name}/configs/nope`), 404, 404, /nope/)
    expectError(await h.get(`${C}/topics/${uniqueTopic()}/configs/retention.ms`), 404, 40401)
  })

  it('sets a config with PUT and reverts it with DELETE', async () => {
    const name = uniqueTopic()
    await createTopic(h, name)
    const put = await h.send('PUT', `${C}/topics/${name}/configs/retention.ms`, { value: '5000' })
    expect(put.status, put.text).toBe(204)
    expect((await h.get(`${C}/topics/${name}/configs/retention.ms`)).body).toMatchObject({
      value: '5000',
      is_default: false,
      source: 'DYNAMIC_TOPIC_CONFIG',
    })

    const deleted = await h.request(`${C}/topics/${name}/configs/retention.ms`, {
      method: 'DELETE',
    })
    expect(deleted.status).toBe(204)
    expect((await h.get(`${C}/topics/${name}/configs/retention.ms`)).body).toMatchObject({
      value: '604800000',
      is_default: true,
      source: 'DEFAULT_CONFIG',
    })
  })

  it('refuses an invalid value or name with PUT and changes nothing', async () => {
    const name = uniqueTopic()
    await createTopic(h, name, 1, { 'retention.ms': '7000' })
    const bad = await h.send('PUT', `${C}/topics/${name}/configs/retention.ms`, { value: 'soon' })
    expectError(bad, 400, 40002, /'soon'.*retention\.ms/)
    const unknown = await h.send('PUT', `${C}/topics/${name}/configs/nope`, { value: '1' })
    expectError(unknown, 400, 40002, /nope/)
    const noValue = await h.send('PUT', `${C}/topics/${name}/configs/retention.ms`, {})
    expectError(noValue, 400, 400, /value/)
    expect((await h.get(`${C}/topics/${name}/configs/retention.ms`)).body.value).toBe('7000')
  })

  it('alters several configs at once with configs:alter', async () => {
    const name = uniqueTopic()
    await createTopic(h, name, 1, { 'retention.ms': '7000' })
    const response = await h.send('POST', `${C}/topics/${name}/configs:alter`, {
      data: [
        { name: 'cleanup.policy', value: 'delete,compact' },
        { name: 'max.message.bytes', value: '2000', operation: 'SET' },
        { name: 'retention.ms', operation: 'DELETE' },
      ],
    })
    expect(response.status, response.text).toBe(204)
    const configs = (await h.get(`${C}/topics/${name}/configs`)).body.data
    const value = (config: string) =>
      configs.find((entry: { name: string }) => entry.name === config)
    expect(value('cleanup.policy')).toMatchObject({ value: 'delete,compact', is_default: false })
    expect(value('max.message.bytes')).toMatchObject({ value: '2000', is_default: false })
    expect(value('retention.ms')).toMatchObject({ value: '604800000', is_default: true })
  })

  it('configs:alter with one invalid entry changes nothing', async () => {
    const name = uniqueTopic()
    await createTopic(h, name, 1, { 'retention.ms': '7000' })
    const response = await h.send('POST', `${C}/topics/${name}/configs:alter`, {
      data: [
        { name: 'retention.ms', value: '9000' },
        { name: 'segment.bytes', value: 'huge' },
      ],
    })
    expectError(response, 400, 40002, /'huge'.*segment\.bytes/)
    const validateOnly = await h.send('POST', `${C}/topics/${name}/configs:alter`, {
      data: [{ name: 'retention.ms', value: '9000' }],
      validate_only: true,
    })
    expect(validateOnly.status).toBe(204)
    expect((await h.get(`${C}/topics/${name}/configs/retention.ms`)).body.value).toBe('7000')
    expect((await h.get(`${C}/topics/${name}/configs/segment.bytes`)).body.is_default).toBe(true)
  })

  it('routes only the literal configs:alter', async () => {
    const name = uniqueTopic()
    await createTopic(h, name, 1, { 'retention.ms': '7000' })
    const body = { data: [{ name: 'retention.ms', value: '9000' }] }
    for (const path of ['configsXalter', 'configs-alter', 'configs:alterx', 'configs:']) {
      const response = await h.send('POST', `${C}/topics/${name}/${path}`, body)
      expectError(response, 404, 404)
    }
    expect((await h.get(`${C}/topics/${name}/configs/retention.ms`)).body.value).toBe('7000')
  })
})

describe('partitions', () => {
  it('lists and gets partitions, and 404 40402 for one the topic lacks', async () => {
    const name = uniqueTopic()
    await createTopic(h, name, 3)
    const listed = await h.get(`${C}/topics/${name}/partitions`)
    expect(listed.status).toBe(200)
    expect(listed.body.kind).toBe('KafkaPartitionList')
    expect(listed.body.data.map((p: { partition_id: number }) => p.partition_id)).toEqual([0, 1, 2])
    const one = await h.get(`${C}/topics/${name}/partitions/2`)
    expect(one.body).toMatchObject({ kind: 'KafkaPartition', topic_name: name, partition_id: 2 })

    expectError(await h.get(`${C}/topics/${name}/partitions/3`), 404, 40402, /Partition 3/)
    expectError(await h.get(`${C}/topics/${name}/partitions/3/offset`), 404, 40402)
    expectError(await h.get(`${C}/topics/${name}/partitions/x`), 400, 400, /partition_id/)
  })

  it('reports earliest and latest offsets of a partition', async () => {
    const name = uniqueTopic()
    await createTopic(h, name, 2)
    const empty = await h.get(`${C}/topics/${name}/partitions/1/offset`)
    expect(empty.body).toMatchObject({ partition_id: 1, earliest_offset: 0, latest_offset: 0 })
    for (let i = 0; i < 3; i++) {
      const produced = await h.send('POST', `${C}/topics/${name}/records`, {
        partition_id: 1,
        value: { type: 'STRING', data: `v${i}` },
      })
      expect(produced.status).toBe(200)
    }
    const after = await h.get(`${C}/topics/${name}/partitions/1/offset`)
    expect(after.body).toMatchObject({ earliest_offset: 0, latest_offset: 3 })
    const other = await h.get(`${C}/topics/${name}/partitions/0/offset`)
    expect(other.body).toMatchObject({ earliest_offset: 0, latest_offset: 0 })
  })
})
