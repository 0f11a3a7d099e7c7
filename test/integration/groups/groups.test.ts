import { beforeAll, describe, expect, it } from 'vitest'
import { ConsumerGroupNotFoundError } from '../../../lib/groups/errors.ts'
import { gateCommand } from '../../support/faults.ts'
import {
  C,
  createTopic,
  expectError,
  type Harness,
  type Json,
  partitionOffsets,
  uniqueTopic,
} from '../http/support.ts'
import { Consumer, createGroupsHarness, groupState, produceJson, uniqueGroup } from './support.ts'

let h: Harness

beforeAll(async () => {
  h = await createGroupsHarness()
})

const config = { format: 'json', 'auto.offset.reset': 'earliest', 'auto.commit.enable': false }

/** Polls every consumer until all of them come back empty; returns what each read. */
async function drain(consumers: readonly Consumer[]): Promise<Json[][]> {
  const read: Json[][] = consumers.map(() => [])
  for (let quiet = 0; quiet < 2; ) {
    const batches = await Promise.all(consumers.map((consumer) => consumer.poll()))
    for (const [i, batch] of batches.entries()) read[i]?.push(...batch)
    quiet = batches.every((batch) => batch.length === 0) ? quiet + 1 : 0
  }
  return read
}

async function lags(group: string): Promise<Json[]> {
  const response = await h.get(`${C}/consumer-groups/${group}/lags`)
  expect(response.status, response.text).toBe(200)
  return response.body.data
}

describe('two groups on one topic', () => {
  it('read it independently, each keeping its own offsets; lag is log end minus committed', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    await produceJson(h, topic, 0, ['a0', 'a1', 'a2', 'a3'])
    await produceJson(h, topic, 1, ['b0', 'b1', 'b2'])
    const [one, two] = [uniqueGroup('one'), uniqueGroup('two')]
    const oneA = await Consumer.create(h, one, config)
    const oneB = await Consumer.create(h, one, config)
    const twoA = await Consumer.create(h, two, config)
    for (const consumer of [oneA, oneB, twoA]) await consumer.subscribe([topic])

    const [readA, readB] = await drain([oneA, oneB])
    const [readTwo] = await drain([twoA])
    const everything = ['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2']
    expect([...(readA ?? []), ...(readB ?? [])].map((r) => r.value).sort()).toEqual(everything)
    expect((readTwo ?? []).map((r) => r.value).sort()).toEqual(everything)

    expect((await oneA.commit()).status).toBe(200)
    expect((await oneB.commit()).status).toBe(200)
    expect((await twoA.commit([{ topic, partition: 0, offset: 0 }])).status).toBe(200)
    await produceJson(h, topic, 1, ['b3', 'b4'])

    const oneLags = await lags(one)
    const twoLags = await lags(two)
    for (const lag of [...oneLags, ...twoLags]) {
      const { latest } = await partitionOffsets(h, topic, lag.partition_id)
      expect(lag.log_end_offset).toBe(latest)
      // With nothing committed, all of the log is still to read.
      expect(lag.lag).toBe(lag.log_end_offset - (lag.current_offset ?? 0))
    }
    expect(oneLags.map((l) => [l.partition_id, l.current_offset, l.lag])).toEqual([
      [0, 4, 0],
      [1, 3, 2],
    ])
    // Group two's member reads partition 1 too but never committed there: shown, with no offset.
    expect(twoLags.map((l) => [l.partition_id, l.current_offset, l.lag])).toEqual([
      [0, 1, 3],
      [1, null, 5],
    ])
    const holder = oneLags[1]
    expect(holder.kind).toBe('KafkaConsumerLag')
    expect(holder.consumer_id).not.toBe('')
    expect([oneA.name, oneB.name]).toContain(holder.client_id)

    const summary = await h.get(`${C}/consumer-groups/${one}/lag-summary`)
    expect(summary.body).toMatchObject({
      kind: 'KafkaConsumerGroupLagSummary',
      consumer_group_id: one,
      max_lag: 2,
      total_lag: 2,
      max_lag_topic_name: topic,
      max_lag_partition_id: 1,
      max_lag_consumer_id: holder.consumer_id,
      max_lag_client_id: holder.client_id,
    })
    const single = await h.get(`${C}/consumer-groups/${one}/lags/${topic}/partitions/1`)
    expect(single.body).toEqual(holder)
    const uncommitted = await h.get(`${C}/consumer-groups/${two}/lags/${topic}/partitions/1`)
    expect(uncommitted.body).toMatchObject({ current_offset: null, log_end_offset: 5, lag: 5 })
    expectError(await h.get(`${C}/consumer-groups/${two}/lags/${topic}/partitions/2`), 404, 404)
  })

  it('accepts a commit past the log end, as Kafka does, and reports its lag as 0, never less', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    await produceJson(h, topic, 0, ['a', 'b'])
    const group = uniqueGroup()
    const consumer = await Consumer.create(h, group, config)
    await consumer.subscribe([topic])
    await drain([consumer])
    const commit = await consumer.commit([{ topic, partition: 0, offset: 41 }])
    expect(commit.status, commit.text).toBe(200)
    expect((await lags(group)).map((l) => [l.current_offset, l.log_end_offset, l.lag])).toEqual([
      [42, 2, 0],
    ])
    const summary = await h.get(`${C}/consumer-groups/${group}/lag-summary`)
    expect(summary.body).toMatchObject({ max_lag: 0, total_lag: 0 })
  })
})

describe('v3 consumer group resources', () => {
  it('describe groups, their consumers and what each holds', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 3)
    const group = uniqueGroup()
    const consumer = await Consumer.create(h, group, {
      ...config,
      'partition.assignment.strategy': 'range',
    })
    await consumer.subscribe([topic])
    expect(await groupState(h, group)).toBe('STABLE')

    const listed = await h.get(`${C}/consumer-groups`)
    expect(listed.body.kind).toBe('KafkaConsumerGroupList')
    const resource = listed.body.data.find((g: Json) => g.consumer_group_id === group)
    expect(resource).toMatchObject({
      kind: 'KafkaConsumerGroup',
      cluster_id: 'local',
      consumer_group_id: group,
      is_simple: false,
      partition_assignor: 'range',
      state: 'STABLE',
      type: 'CONSUMER',
      consumers: { related: `http://localhost${C}/consumer-groups/${group}/consumers` },
    })
    expect((await h.get(`${C}/consumer-groups/${group}`)).body).toEqual(resource)

    const consumers = await h.get(`${C}/consumer-groups/${group}/consumers`)
    const [member] = consumers.body.data
    expect(member).toMatchObject({
      kind: 'KafkaConsumer',
      client_id: consumer.name,
      instance_id: null,
    })
    const byId = await h.get(`${C}/consumer-groups/${group}/consumers/${member.consumer_id}`)
    expect(byId.body).toEqual(member)
    const assignments = await h.get(member.assignments.related.replace('http://localhost', ''))
    expect(assignments.body.data.map((a: Json) => [a.topic_name, a.partition_id])).toEqual([
      [topic, 0],
      [topic, 1],
      [topic, 2],
    ])
    expectError(await h.get(`${C}/consumer-groups/${group}/consumers/nobody`), 404, 404)
    expectError(await h.get(`${C}/consumer-groups/${uniqueGroup()}`), 404, 40405)
  })
})

describe('admin', () => {
  it('resets offsets only while the group has no members: earliest, latest, offset, timestamp', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    const base = Date.parse('2024-01-01T00:00:00Z')
    const produced = await h.send('POST', `${C}/topics/${topic}/records:batch`, {
      entries: [0, 1, 2, 3, 4].map((n) => ({
        id: String(n),
        value: { type: 'JSON', data: n },
        timestamp: new Date(base + n * 1000).toISOString(),
      })),
    })
    expect(produced.status).toBe(207)
    const group = uniqueGroup()
    const consumer = await Consumer.create(h, group, config)
    await consumer.subscribe([topic])
    await drain([consumer])
    expect((await consumer.commit()).status).toBe(200)
    const reset = (body: Json) =>
      h.send('POST', `${C}/consumer-groups/${group}/offsets:reset`, body)
    const committed = async () => (await lags(group)).map((l) => l.current_offset)

    expectError(await reset({ to: 'earliest', topics: [topic] }), 409, 40903, /NON_EMPTY_GROUP/)
    const dryRunWithMember = await reset({ to: 'earliest', topics: [topic], validate_only: true })
    expectError(dryRunWithMember, 409, 40903, /NON_EMPTY_GROUP/)
    expect(await committed()).toEqual([5])
    await consumer.delete()

    const dryRun = await reset({ to: 'offset', offset: 1, validate_only: true })
    expect(dryRun.status, dryRun.text).toBe(200)
    expect(dryRun.body.data).toEqual([{ topic_name: topic, partition_id: 0, offset: 1 }])
    expect(await committed()).toEqual([5])
    // A dry run past the log end answers the log end, as the reset itself would.
    const pastDryRun = await reset({ to: 'offset', offset: 9, validate_only: true })
    expect(pastDryRun.body.data).toEqual([{ topic_name: topic, partition_id: 0, offset: 5 }])
    expect(await committed()).toEqual([5])
    expectError(await reset({ to: 'offset', offset: -1, validate_only: true }), 400, 400, /offset/)

    const earliest = await reset({ to: 'earliest' })
    expect(earliest.status, earliest.text).toBe(200)
    expect(earliest.body.data).toEqual([{ topic_name: topic, partition_id: 0, offset: 0 }])
    expect(await committed()).toEqual([0])
    expect((await reset({ to: 'offset', offset: 3, topics: [topic] })).status).toBe(200)
    expect(await committed()).toEqual([3])
    expect(
      (
        await reset({
          to: 'timestamp',
          timestamp: new Date(base + 1500).toISOString(),
          topics: [topic],
        })
      ).status,
    ).toBe(200)
    expect(await committed()).toEqual([2])
    expect(
      (await reset({ to: 'latest', partitions: [{ topic_name: topic, partition_id: 0 }] })).status,
    ).toBe(200)
    expect(await committed()).toEqual([5])
    // As kafka-consumer-groups --to-offset: past the log end means the log end.
    const past = await reset({ to: 'offset', offset: 9, topics: [topic] })
    expect(past.body.data).toEqual([{ topic_name: topic, partition_id: 0, offset: 5 }])
    expect(await committed()).toEqual([5])
    expectError(await reset({ to: 'offset', topics: [topic] }), 400, 400, /offset/)
    expectError(await reset({ to: 'sideways', topics: [topic] }), 400, 400)
    expect(await committed()).toEqual([5])

    const again = await Consumer.create(h, group, config)
    await again.subscribe([topic])
    expect(await again.poll()).toEqual([])
  })

  it('deletes a group without members, and its offsets with it', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 1)
    await produceJson(h, topic, 0, ['x'])
    const group = uniqueGroup()
    const consumer = await Consumer.create(h, group, config)
    await consumer.subscribe([topic])
    await drain([consumer])
    expect((await consumer.commit()).status).toBe(200)
    const remove = () => h.request(`${C}/consumer-groups/${group}`, { method: 'DELETE' })

    expectError(await remove(), 409, 40903, /NON_EMPTY_GROUP/)
    expect((await lags(group)).map((l) => l.current_offset)).toEqual([1])
    await consumer.delete()
    expect((await remove()).status).toBe(204)
    expectError(await h.get(`${C}/consumer-groups/${group}`), 404, 40405)
    expectError(await remove(), 404, 40405)

    const fresh = await Consumer.create(h, group, config)
    await fresh.subscribe([topic])
    expect((await fresh.poll()).map((r) => r.value)).toEqual(['x'])
  })

  it('deletes a group whose offsets a commit changed while the delete ran: none is left behind', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    const t = await h.broker.topics.describe(topic)
    const { admin, coordinator } = h.groups
    const group = uniqueGroup()
    const offset = (partition: number) => ({
      topic,
      partition,
      topicId: t.topicId,
      offset: 0,
      metadata: '',
    })
    await coordinator.commit(group, { kind: 'none' }, [offset(0)])

    // The delete has read the group and its offsets; a commit for another partition lands before it writes.
    const gate = gateCommand(h.storage.clients.dynamodb, 'TransactWriteItemsCommand', { times: 1 })
    const deleting = admin.delete(group)
    await gate.arrived(1)
    await coordinator.commit(group, { kind: 'none' }, [offset(1)])
    gate.open()
    await deleting
    gate.remove()

    await expect(admin.describe(group)).rejects.toBeInstanceOf(ConsumerGroupNotFoundError)
    expect(await coordinator.committed(group)).toEqual([])
  })
})
