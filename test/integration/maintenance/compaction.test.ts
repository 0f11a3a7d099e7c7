import { beforeAll, describe, expect, it } from 'vitest'
import type { AppendOutcome } from '../../../lib/broker/appender.ts'
import { type Broker, createBroker } from '../../../lib/broker/broker.ts'
import { produce } from '../../../lib/broker/produce.ts'
import type { ProduceRecord } from '../../../lib/broker/produce-record.ts'
import { InvalidRecordError } from '../../../lib/errors.ts'
import { decodeRecordBatches, readBatchHeader } from '../../../lib/log/record-batch.ts'
import { S3ObjectStore } from '../../../lib/storage/aws/objects.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import type { TopicItem } from '../../../lib/storage/ports/topics.ts'
import type { ProducerIdentity } from '../../../lib/storage/producer-sequences.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'
import { indexEntries, produceOk, utf8 } from '../broker/helpers.ts'
import { HOUR, maintenanceOn, partitionReport, readLog, run } from './support.ts'

let storage: TestStorage
let broker: Broker

beforeAll(async () => {
  storage = await createTestStorage()
  broker = createBroker(awsStorage(storage.clients, storage.names))
})

function keyed(key: string, value: string | null, timestamp?: number): ProduceRecord {
  return {
    key: { format: 'STRING', bytes: utf8(key) },
    value: value === null ? null : { format: 'JSON', bytes: utf8(JSON.stringify(value)) },
    headers: [{ key: 'source', value: utf8(key) }],
    ...(timestamp !== undefined && { timestamp }),
  }
}

/** Produces each record in a request of its own, as separate index entries. */
async function produceEach(topic: TopicItem, records: readonly ProduceRecord[]) {
  for (const record of records) await produceOk(broker, topic, [record])
}

/** One read of partition 0 from `offset`. */
function readFrom(topic: TopicItem, offset: number, maxRecords: number) {
  return broker.reader.read(topic, 0, {
    start: { kind: 'offset', offset },
    maxRecords,
    maxBytes: 1 << 20,
    timeoutMs: 0,
  })
}

/** A segment.ms so short that no entry is still in the active head by the time compaction runs. */
const ROLLED = { 'segment.ms': '1' }

const at = (offsets: readonly number[]) => (record: { offset: number }) =>
  offsets.includes(record.offset)

describe('a compacted topic', () => {
  let topic: TopicItem
  let before: Awaited<ReturnType<typeof readLog>>

  beforeAll(async () => {
    topic = await broker.topics.create({
      name: 'compacted',
      configs: { 'cleanup.policy': 'compact', ...ROLLED },
    })
    await produceEach(topic, [
      keyed('a', 'a1'), // 0
      keyed('b', 'b1'), // 1
      keyed('a', 'a2'), // 2
      keyed('c', 'c1'), // 3
      keyed('b', null), // 4: tombstone
      keyed('a', 'a3'), // 5
      keyed('d', 'd1'), // 6
      keyed('d', 'd2'), // 7
    ])
    before = await readLog(broker, topic)
  })

  it('keeps the latest record of each key at its offset and in order, tombstones too for now', async () => {
    const { maintenance } = maintenanceOn(storage)
    const report = await run(maintenance, ['compact'], [topic.name])
    expect(await readLog(broker, topic)).toEqual(before.filter(at([3, 4, 5, 7])))
    expect(partitionReport(report, topic.name).tasks.compact).toMatchObject({
      entriesBefore: 8,
      entriesAfter: 1,
      recordsDropped: 4,
      complete: true,
    })
    expect(await broker.topics.offsets(topic, 0)).toEqual({ logStartOffset: 0, logEndOffset: 8 })
  })

  it('reads a removed offset from the next surviving one', async () => {
    const read = (offset: number) => readFrom(topic, offset, 1)
    expect((await read(0)).records.map((r) => r.offset)).toEqual([3])
    const six = await read(6)
    expect(six.records.map((r) => r.offset)).toEqual([7])
    expect(six.nextOffset).toBe(8)
  })

  it('writes batches that keep the offsets and cover the whole span, gaps inside', async () => {
    const [entry] = await indexEntries(broker, topic, 0)
    if (!entry) throw new Error('expected one entry')
    const bytes = await new S3ObjectStore(storage.clients.s3, storage.names.bucket).getRange(
      entry.objectKey,
      entry.byteOffset,
      entry.byteLength,
    )
    expect(decodeRecordBatches(bytes).map((r) => r.offset)).toEqual([3, 4, 5, 7])
    const header = readBatchHeader(bytes)
    expect(header.baseOffset).toBe(0)
    expect(entry).toMatchObject({ baseOffset: 0, lastOffset: 7, recordCount: 4 })
  })

  it('gives the next produced record the next offset: none is reused', async () => {
    const [appended] = await produceOk(broker, topic, [keyed('e', 'e1')])
    expect(appended?.offset).toBe(8)
  })

  it('removes a tombstone once delete.retention.ms has passed since compaction first kept it', async () => {
    const { maintenance } = maintenanceOn(storage, { aheadMs: 25 * HOUR })
    const report = await run(maintenance, ['compact'], [topic.name])
    const after = await readLog(broker, topic)
    expect(after.map((r) => r.offset)).toEqual([3, 5, 7, 8])
    expect(after.slice(0, 3)).toEqual(before.filter(at([3, 5, 7])))
    expect(partitionReport(report, topic.name).tasks.compact?.recordsDropped).toBe(1)
  })

  it('refuses records without a key, writing nothing', async () => {
    const end = (await broker.topics.offsets(topic, 0)).logEndOffset
    const [outcome] = await produce(broker.appender, topic, [
      { key: null, value: { format: 'BINARY', bytes: utf8('x') }, headers: [] },
    ])
    expect(outcome?.ok).toBe(false)
    const error = outcome?.ok === false ? outcome.error : undefined
    expect(error).toBeInstanceOf(InvalidRecordError)
    expect(error?.message).toMatch(/compacted.*needs a key/)
    expect((await broker.topics.offsets(topic, 0)).logEndOffset).toBe(end)
  })
})

describe("an idempotent producer's batches", () => {
  let topic: TopicItem
  let producer: ProducerIdentity

  /** Keyed records of partition 0 with consecutive sequences from `first`. */
  const batch = (first: number, keys: readonly string[]): ProduceRecord[] =>
    keys.map((key, i) => ({
      ...keyed(key, `${key}${first + i}`),
      partition: 0,
      sequence: first + i,
    }))

  const offsetsOf = (outcomes: readonly AppendOutcome[]) =>
    outcomes.map((outcome) => (outcome.ok ? outcome.offset : outcome.error.message))

  beforeAll(async () => {
    topic = await broker.topics.create({
      name: 'compacted-idempotent',
      configs: { 'cleanup.policy': 'compact', ...ROLLED },
    })
    producer = await broker.producers.initProducer()
    expect(
      offsetsOf(await produce(broker.appender, topic, batch(0, ['a', 'b', 'c']), producer)),
    ).toEqual([0, 1, 2])
    expect(
      offsetsOf(await produce(broker.appender, topic, batch(3, ['a', 'd']), producer)),
    ).toEqual([3, 4])
    expect(
      offsetsOf(await produce(broker.appender, topic, batch(5, ['b', 'e']), producer)),
    ).toEqual([5, 6])
    const { maintenance } = maintenanceOn(storage)
    await run(maintenance, ['compact'], [topic.name])
  })

  it('keep their producer id, epoch, base sequence and offsets through compaction', async () => {
    const [entry, ...others] = await indexEntries(broker, topic, 0)
    if (!entry) throw new Error('expected one entry')
    expect(others).toEqual([])
    expect(entry).toMatchObject({ baseOffset: 0, lastOffset: 6, recordCount: 5 })
    const bytes = await new S3ObjectStore(storage.clients.s3, storage.names.bucket).getRange(
      entry.objectKey,
      entry.byteOffset,
      entry.byteLength,
    )
    const headers = []
    for (let position = 0; position < bytes.length; ) {
      const header = readBatchHeader(bytes, position)
      headers.push(header)
      position += header.length + 12
    }
    // The first batch lost a and b but still covers sequences 0 to 2.
    expect(
      headers.map((h) => [
        h.baseOffset,
        h.lastOffsetDelta,
        h.recordsCount,
        h.producerId,
        h.producerEpoch,
        h.baseSequence,
      ]),
    ).toEqual([
      [0, 2, 1, producer.producerId, producer.epoch, 0],
      [3, 1, 2, producer.producerId, producer.epoch, 3],
      [5, 1, 2, producer.producerId, producer.epoch, 5],
    ])
    expect(decodeRecordBatches(bytes).map((r) => r.offset)).toEqual([2, 3, 4, 5, 6])
  })

  it('still answer a resend with the offsets they took, and the next sequence appends', async () => {
    expect(
      offsetsOf(await produce(broker.appender, topic, batch(5, ['b', 'e']), producer)),
    ).toEqual([5, 6])
    expect(
      offsetsOf(await produce(broker.appender, topic, batch(0, ['a', 'b', 'c']), producer)),
    ).toEqual([0, 1, 2])
    expect(offsetsOf(await produce(broker.appender, topic, batch(7, ['f']), producer))).toEqual([7])
    expect((await readLog(broker, topic)).map((r) => r.offset)).toEqual([2, 3, 4, 5, 6, 7])
  })
})

describe('the active head', () => {
  it('is never cleaned while younger than segment.ms', async () => {
    const topic = await broker.topics.create({
      name: 'active-head-time',
      configs: { 'cleanup.policy': 'compact' },
    })
    await produceEach(topic, [keyed('a', 'a1'), keyed('a', 'a2'), keyed('a', 'a3')])
    const now = maintenanceOn(storage)
    expect((await run(now.maintenance, ['compact'], [topic.name])).partitions).toEqual([])
    expect((await readLog(broker, topic)).map((r) => r.offset)).toEqual([0, 1, 2])

    const rolled = maintenanceOn(storage, { aheadMs: 8 * 24 * HOUR })
    await run(rolled.maintenance, ['compact'], [topic.name])
    expect((await readLog(broker, topic)).map((r) => r.offset)).toEqual([2])
  })

  it('holds the newest segment.bytes of the log, which no newer record supersedes yet', async () => {
    const topic = await broker.topics.create({
      name: 'active-head-size',
      // Smaller than any entry: only the newest one is still being written.
      configs: { 'cleanup.policy': 'compact', 'segment.bytes': '14' },
    })
    await produceEach(topic, [keyed('a', 'a1'), keyed('a', 'a2'), keyed('a', 'a3')])
    await run(maintenanceOn(storage).maintenance, ['compact'], [topic.name])
    expect((await readLog(broker, topic)).map((r) => r.offset)).toEqual([1, 2])
  })
})

describe('tombstones', () => {
  it('stay for delete.retention.ms after the pass that first kept them, whatever their timestamp', async () => {
    const topic = await broker.topics.create({
      name: 'tombstone-horizon',
      configs: { 'cleanup.policy': 'compact', ...ROLLED },
    })
    const longAgo = Date.now() - 30 * 24 * HOUR
    await produceEach(topic, [keyed('a', 'a1', longAgo), keyed('a', null, longAgo)])
    await produceEach(topic, [keyed('b', 'b1')])
    await run(maintenanceOn(storage).maintenance, ['compact'], [topic.name])
    expect((await readLog(broker, topic)).map((r) => r.offset)).toEqual([1, 2])

    const early = maintenanceOn(storage, { aheadMs: 23 * HOUR })
    await run(early.maintenance, ['compact'], [topic.name])
    expect((await readLog(broker, topic)).map((r) => r.offset)).toEqual([1, 2])

    const due = maintenanceOn(storage, { aheadMs: 25 * HOUR })
    await run(due.maintenance, ['compact'], [topic.name])
    expect((await readLog(broker, topic)).map((r) => r.offset)).toEqual([2])
  })
})

describe('a compacted topic whose tail was removed', () => {
  it('moves readers past the removed offsets to the log end', async () => {
    const topic = await broker.topics.create({
      name: 'compacted-tail',
      configs: { 'cleanup.policy': 'compact', 'delete.retention.ms': '0', ...ROLLED },
    })
    await produceEach(topic, [keyed('a', 'a1'), keyed('b', 'b1'), keyed('b', null)])
    const { maintenance } = maintenanceOn(storage)
    await run(maintenance, ['compact'], [topic.name])
    const read = (offset: number) => readFrom(topic, offset, 10)
    const fromStart = await read(0)
    expect(fromStart.records.map((r) => r.offset)).toEqual([0])
    expect(fromStart).toMatchObject({ nextOffset: 3, logEndOffset: 3 })
    const fromGap = await read(1)
    expect(fromGap).toMatchObject({ records: [], nextOffset: 3, logEndOffset: 3 })
  })
})

describe('when compaction is due', () => {
  it('waits until dirty bytes pass min.cleanable.dirty.ratio', async () => {
    const topic = await broker.topics.create({
      name: 'dirty-ratio',
      configs: { 'cleanup.policy': 'compact', ...ROLLED },
    })
    await produceEach(
      topic,
      ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'].map((k) => keyed(k, `${k}-first`)),
    )
    const { maintenance } = maintenanceOn(storage)
    await run(maintenance, ['compact'], [topic.name])
    await produceEach(topic, [keyed('k1', 'k1-second')])

    // One small dirty entry against six clean records: under the default ratio of 0.5.
    const waiting = await run(maintenance, ['compact'], [topic.name])
    expect(waiting.partitions).toEqual([])
    expect((await readLog(broker, topic)).map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6])

    await broker.topics.alterConfigs(topic.name, [
      { operation: 'SET', name: 'min.cleanable.dirty.ratio', value: '0.05' },
    ])
    const updated = await broker.topics.describe(topic.name)
    const report = await run(maintenance, ['compact'], [updated.name])
    expect(partitionReport(report, topic.name).tasks.compact?.recordsDropped).toBe(1)
    expect((await readLog(broker, updated)).map((r) => r.offset)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('leaves records younger than min.compaction.lag.ms alone', async () => {
    const topic = await broker.topics.create({
      name: 'compaction-lag',
      configs: {
        'cleanup.policy': 'compact',
        'min.compaction.lag.ms': String(HOUR),
        ...ROLLED,
      },
    })
    await produceEach(topic, [keyed('a', 'old'), keyed('a', 'new')])
    const now = maintenanceOn(storage)
    expect((await run(now.maintenance, ['compact'], [topic.name])).partitions).toEqual([])
    expect(await readLog(broker, topic)).toHaveLength(2)

    const later = maintenanceOn(storage, { aheadMs: 2 * HOUR })
    await run(later.maintenance, ['compact'], [topic.name])
    expect((await readLog(broker, topic)).map((r) => r.offset)).toEqual([1])
  })

  it('keeps each record its timestamp with LogAppendTime, where batches carry the time', async () => {
    const topic = await broker.topics.create({
      name: 'compacted-append-time',
      configs: {
        'cleanup.policy': 'compact',
        'message.timestamp.type': 'LogAppendTime',
        ...ROLLED,
      },
    })
    await produceEach(topic, [keyed('x', '1'), keyed('y', '1'), keyed('x', '2'), keyed('z', '1')])
    const before = await readLog(broker, topic)
    const { maintenance } = maintenanceOn(storage)
    await run(maintenance, ['compact'], [topic.name])
    expect(await readLog(broker, topic)).toEqual(before.filter(at([1, 2, 3])))
  })
})

describe('a compacted segment large enough for an offset index', () => {
  it('reads page by page from its middle, through the gaps, exactly as before compaction', async () => {
    const topic = await broker.topics.create({
      name: 'compacted-and-indexed',
      configs: { 'cleanup.policy': 'compact', ...ROLLED },
    })
    // 400 records of 2 KB; keys 0-99 come back at offsets 300-399, so 0-99 are removed.
    const value = (i: number) => `${i}-${'v'.repeat(2000)}`
    for (let i = 0; i < 400; i += 16) {
      await produceOk(
        broker,
        topic,
        Array.from({ length: 16 }, (_, j) => keyed(`k-${(i + j) % 300}`, value(i + j))),
      )
    }
    const survivors = (await readLog(broker, topic)).filter((r) => r.offset >= 100)
    await run(maintenanceOn(storage).maintenance, ['compact'], [topic.name])
    const entries = await indexEntries(broker, topic, 0)
    expect(entries.some((entry) => (entry.offsetIndex?.split(',').length ?? 0) >= 3)).toBe(true)

    const read = []
    for (let offset = 40; offset < 400; ) {
      const page = await readFrom(topic, offset, 7)
      read.push(...page.records)
      expect(page.nextOffset).toBeGreaterThan(offset)
      offset = page.nextOffset
    }
    expect(read.map((r) => r.offset)).toEqual(survivors.map((r) => r.offset))
    expect(read.map((r) => Buffer.from(r.value ?? []).toString())).toEqual(
      survivors.map((r) => JSON.stringify(value(r.offset))),
    )
  })
})
