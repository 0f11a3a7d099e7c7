import { beforeAll, describe, expect, it } from 'vitest'
import { createBroker } from '../../../lib/broker/broker.ts'
import { produce } from '../../../lib/broker/produce.ts'
import { partitionForKey } from '../../../lib/common/partitioner.ts'
import { PartitionNotFoundError, TopicNotFoundError } from '../../../lib/errors.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import {
  createTestBroker,
  indexEntries,
  produceOk,
  range,
  readAll,
  record,
  type TestBroker,
  utf8,
} from './helpers.ts'

let ctx: TestBroker

beforeAll(async () => {
  ctx = await createTestBroker()
})

const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString())

describe('a topic deleted and created again under the same name', () => {
  it('starts empty with a new id, and a produce holding the old topic stays under the old id', async () => {
    const { broker } = ctx
    const old = await broker.topics.create({ name: 'reborn', partitionsCount: 2 })
    await produceOk(broker, old, [
      record({ partition: 0, value: 'old-0' }),
      record({ partition: 0, value: 'old-1' }),
      record({ partition: 1, value: 'old-2' }),
    ])
    await broker.topics.delete('reborn')
    await expect(broker.topics.describe('reborn')).rejects.toBeInstanceOf(TopicNotFoundError)

    // A request that looked the topic up before the delete commits after it: it lands
    // as if just before the delete, under the dead id, before and after the re-creation.
    const raced = [
      record({ partition: 0, value: 'raced-0' }),
      record({ partition: 1, value: 'raced-1' }),
    ]
    await produceOk(broker, old, raced)
    const reborn = await broker.topics.create({ name: 'reborn', partitionsCount: 2 })
    expect(reborn.topicId).not.toBe(old.topicId)
    await produceOk(broker, old, raced)

    for (const partition of range(2)) {
      expect(await broker.topics.offsets(reborn, partition)).toEqual({
        logStartOffset: 0,
        logEndOffset: 0,
      })
      expect(await indexEntries(broker, reborn, partition)).toEqual([])
      for (const start of [{ kind: 'earliest' } as const, { kind: 'offset', offset: 0 } as const]) {
        const read = await broker.reader.read(reborn, partition, {
          start,
          maxRecords: 100,
          maxBytes: 1 << 20,
          timeoutMs: 0,
        })
        expect(read.records).toEqual([])
        expect(read.nextOffset).toBe(0)
      }
    }
    // Everything the old id was given stays with it.
    expect((await readAll(broker, old, 0)).map((r) => text(r.value))).toEqual([
      'old-0',
      'old-1',
      'raced-0',
      'raced-0',
    ])
    expect((await readAll(broker, old, 1)).map((r) => text(r.value))).toEqual([
      'old-2',
      'raced-1',
      'raced-1',
    ])

    const acked = await produceOk(broker, reborn, [
      record({ partition: 0, value: 'new-0' }),
      record({ partition: 1, value: 'new-1' }),
    ])
    expect(acked.map((a) => [a.partition, a.offset])).toEqual([
      [0, 0],
      [1, 0],
    ])
    expect((await readAll(broker, reborn, 0)).map((r) => [r.offset, text(r.value)])).toEqual([
      [0, 'new-0'],
    ])
  })
})

describe('a LogAppendTime topic', () => {
  it('stores the broker append time, not the producer timestamp', async () => {
    const { broker } = ctx
    const topic = await broker.topics.create({
      name: 'append-time',
      configs: { 'message.timestamp.type': 'LogAppendTime' },
    })
    const producerTime = Date.UTC(2001, 0, 1)
    const before = Date.now()
    const acked = await produceOk(broker, topic, [
      record({ value: 'a', timestamp: producerTime }),
      record({ value: 'b', timestamp: producerTime + 1 }),
      record({ value: 'c' }),
    ])
    const after = Date.now()

    const appendTime = acked[0]?.timestamp as number
    expect(appendTime).toBeGreaterThanOrEqual(before)
    expect(appendTime).toBeLessThanOrEqual(after)
    expect(acked.map((a) => a.timestamp)).toEqual([appendTime, appendTime, appendTime])

    const log = await readAll(broker, topic, 0)
    expect(log.map((r) => [text(r.value), r.timestamp])).toEqual([
      ['a', appendTime],
      ['b', appendTime],
      ['c', appendTime],
    ])
    const [entry] = await indexEntries(broker, topic, 0)
    expect(entry).toMatchObject({ minTimestamp: appendTime, maxTimestamp: appendTime })

    // A timestamp seek goes by the stored times: the producer's are nowhere.
    expect(await broker.reader.offsetForTimestamp(topic, 0, producerTime)).toBe(0)
    expect(await broker.reader.offsetForTimestamp(topic, 0, appendTime + 1)).toBe(3)
  })

  it('keeps the producer timestamp on a CreateTime topic', async () => {
    const { broker } = ctx
    const topic = await broker.topics.create({ name: 'create-time' })
    const producerTime = Date.UTC(2001, 0, 1)
    const acked = await produceOk(broker, topic, [record({ value: 'a', timestamp: producerTime })])
    expect(acked[0]?.timestamp).toBe(producerTime)
    expect((await readAll(broker, topic, 0))[0]?.timestamp).toBe(producerTime)
  })
})

describe('increasing the partition count', () => {
  it('sends keys to the new partitions too, accepts writes there, and leaves old data alone', async () => {
    const { broker } = ctx
    const keys = range(40).map((i) => `user-${i}`)
    const topic = await broker.topics.create({ name: 'growing', partitionsCount: 2 })
    const first = await produceOk(
      broker,
      topic,
      keys.map((key) => record({ key, value: `before:${key}` })),
    )
    first.forEach((acked, i) => {
      expect(acked.partition).toBe(partitionForKey(utf8(keys[i] as string), 2))
    })
    const oldLogs = await Promise.all(range(2).map((p) => readAll(broker, topic, p)))
    expect(oldLogs.flat()).toHaveLength(keys.length)

    const grown = await broker.topics.increasePartitions('growing', 5)
    expect(grown.partitionsCount).toBe(5)
    expect(grown.topicId).toBe(topic.topicId)
    expect((await broker.topics.describe('growing')).partitionsCount).toBe(5)

    // A request still holding the old description cannot name a partition it did not know.
    const stale = await produce(broker.appender, topic, [record({ partition: 4, value: 'x' })])
    expect(stale[0]?.ok === false && stale[0].error).toBeInstanceOf(PartitionNotFoundError)

    const second = await produceOk(
      broker,
      grown,
      keys.map((key) => record({ key, value: `after:${key}` })),
    )
    second.forEach((acked, i) => {
      expect(acked.partition).toBe(partitionForKey(utf8(keys[i] as string), 5))
    })
    expect(second.some((acked) => acked.partition >= 2)).toBe(true)

    const explicit = await produceOk(broker, grown, [
      record({ partition: 4, value: 'explicit-4' }),
      record({ partition: 3, value: 'explicit-3' }),
    ])
    const onFour = second.filter((a) => a.partition === 4).length
    const onThree = second.filter((a) => a.partition === 3).length
    expect(explicit.map((a) => [a.partition, a.offset])).toEqual([
      [4, onFour],
      [3, onThree],
    ])

    // The old partitions: their records where they were, the new ones after them.
    for (const partition of range(2)) {
      const log = await readAll(broker, grown, partition)
      const old = oldLogs[partition] ?? []
      expect(log.slice(0, old.length)).toEqual(old)
      const appended = second.filter((a) => a.partition === partition)
      expect(log.slice(old.length).map((r) => r.offset)).toEqual(appended.map((a) => a.offset))
      expect(appended.map((a) => a.offset)).toEqual(
        range(appended.length).map((i) => old.length + i),
      )
    }
    for (const partition of range(5).slice(2)) {
      const log = await readAll(broker, grown, partition)
      const expected = keys
        .filter((key) => partitionForKey(utf8(key), 5) === partition)
        .map((key) => `after:${key}`)
      if (partition >= 3) expected.push(`explicit-${partition}`)
      expect(log.map((r) => text(r.value))).toEqual(expected)
      expect(log.map((r) => r.offset)).toEqual(range(expected.length))
    }
  })
})

describe('a topic looked up for producing and reading', () => {
  it('is reused, but never past a change made through the same broker', async () => {
    const { broker, storage } = ctx
    const created = await broker.topics.create({ name: 'looked-up', partitionsCount: 2 })
    expect(await broker.topics.lookup('looked-up')).toEqual(created)
    // A change made elsewhere may be seen late (within TOPIC_CACHE_TTL_MS); one made here, at once.
    const elsewhere = createBroker(awsStorage(storage.clients, storage.names))
    await elsewhere.topics.alterConfigs('looked-up', [
      { operation: 'SET', name: 'retention.ms', value: '60000' },
    ])
    await broker.topics.alterConfigs('looked-up', [
      { operation: 'SET', name: 'cleanup.policy', value: 'compact' },
    ])
    expect((await broker.topics.lookup('looked-up')).configs).toEqual({
      'retention.ms': '60000',
      'cleanup.policy': 'compact',
    })
    await broker.topics.delete('looked-up')
    await expect(broker.topics.lookup('looked-up')).rejects.toBeInstanceOf(TopicNotFoundError)
    const reborn = await broker.topics.create({ name: 'looked-up' })
    expect((await broker.topics.lookup('looked-up')).topicId).toBe(reborn.topicId)
  })

  it('is looked up again for a partition past its cached count, and a missing topic is not cached', async () => {
    const { broker, storage } = ctx
    const elsewhere = createBroker(awsStorage(storage.clients, storage.names))
    await expect(broker.topics.lookup('grown-elsewhere')).rejects.toBeInstanceOf(TopicNotFoundError)
    await elsewhere.topics.create({ name: 'grown-elsewhere', partitionsCount: 1 })
    expect((await broker.topics.lookupPartition('grown-elsewhere', 0)).partitionsCount).toBe(1)

    await elsewhere.topics.increasePartitions('grown-elsewhere', 3)
    expect((await broker.topics.lookupPartition('grown-elsewhere', 2)).partitionsCount).toBe(3)
    await expect(broker.topics.lookupPartition('grown-elsewhere', 3)).rejects.toBeInstanceOf(
      PartitionNotFoundError,
    )
  })
})
