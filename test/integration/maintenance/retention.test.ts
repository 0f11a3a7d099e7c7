import { beforeAll, describe, expect, it } from 'vitest'
import { type Broker, createBroker } from '../../../lib/broker/broker.ts'
import type { ProduceRecord } from '../../../lib/broker/produce-record.ts'
import { OffsetOutOfRangeError } from '../../../lib/errors.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import type { TopicItem } from '../../../lib/storage/ports/topics.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'
import { indexEntries, produceOk, range, utf8 } from '../broker/helpers.ts'
import { dieAt, HOUR, maintenanceOn, partitionReport, readLog, run } from './support.ts'

let storage: TestStorage
let broker: Broker

beforeAll(async () => {
  storage = await createTestStorage()
  broker = createBroker(awsStorage(storage.clients, storage.names))
})

/** A request of two records of 100-byte values, with the timestamp given. */
function request(i: number, timestamp?: number): ProduceRecord[] {
  return range(2).map((j) => ({
    key: null,
    value: { format: 'BINARY', bytes: utf8(`${i}-${j}-`.padEnd(100, '.')) },
    headers: [],
    ...(timestamp !== undefined && { timestamp }),
  }))
}

function readAt(topic: TopicItem, offset: number) {
  return broker.reader.read(topic, 0, {
    start: { kind: 'offset', offset },
    maxRecords: 100,
    maxBytes: 1 << 20,
    timeoutMs: 0,
  })
}

describe('retention by time', () => {
  let topic: TopicItem

  beforeAll(async () => {
    topic = await broker.topics.create({
      name: 'retention-ms',
      configs: { 'retention.ms': String(HOUR) },
    })
    const old = Date.now() - 3 * HOUR
    for (const i of range(3)) await produceOk(broker, topic, request(i, old + i))
    for (const i of range(2)) await produceOk(broker, topic, request(3 + i))
  })

  it('drops whole entries older than retention.ms and advances the log start past them', async () => {
    const before = await readLog(broker, topic)
    const { maintenance } = maintenanceOn(storage)
    const report = await run(maintenance, ['retention'], [topic.name])
    expect(partitionReport(report, topic.name).tasks.retention).toMatchObject({
      entriesBefore: 5,
      entriesAfter: 2,
      recordsDropped: 6,
      logStartOffset: { before: 0, after: 6 },
      complete: true,
    })
    expect(await broker.topics.offsets(topic, 0)).toEqual({ logStartOffset: 6, logEndOffset: 10 })
    expect(await indexEntries(broker, topic, 0)).toHaveLength(2)
    expect(await readLog(broker, topic)).toEqual(before.slice(6))
  })

  it('answers reads below the new log start with the out-of-range error, naming the range', async () => {
    const error = await readAt(topic, 2).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OffsetOutOfRangeError)
    expect(error).toMatchObject({ offset: 2, logStartOffset: 6, logEndOffset: 10 })
    const earliest = await broker.reader.read(topic, 0, {
      start: { kind: 'earliest' },
      maxRecords: 1,
      maxBytes: 1 << 20,
      timeoutMs: 0,
    })
    expect(earliest.records.map((r) => r.offset)).toEqual([6])
  })

  it('has nothing more to do until more records age', async () => {
    const { maintenance } = maintenanceOn(storage)
    expect((await run(maintenance, ['retention'], [topic.name])).partitions).toEqual([])
  })
})

describe('retention by bytes', () => {
  it('keeps the newest entries that fit in retention.bytes, whole', async () => {
    const topic = await broker.topics.create({ name: 'retention-bytes' })
    for (const i of range(6)) await produceOk(broker, topic, request(i))
    const [first] = await indexEntries(broker, topic, 0)
    const entryBytes = first?.byteLength ?? 0
    await broker.topics.alterConfigs(topic.name, [
      // Room for two and a half entries: three stay, as Kafka keeps a segment that crosses the limit.
      { operation: 'SET', name: 'retention.bytes', value: String(Math.floor(entryBytes * 2.5)) },
    ])
    const before = await readLog(broker, topic)
    const { maintenance } = maintenanceOn(storage)
    await run(maintenance, ['retention'], [topic.name])
    expect(await broker.topics.offsets(topic, 0)).toEqual({ logStartOffset: 6, logEndOffset: 12 })
    expect(await readLog(broker, topic)).toEqual(before.slice(6))
    await expect(readAt(topic, 5)).rejects.toBeInstanceOf(OffsetOutOfRangeError)
  })
})

describe('a retention run that dies between moving the log start and deleting entries', () => {
  it('leaves entries below the start that no read reaches, and the next run deletes them', async () => {
    const topic = await broker.topics.create({
      name: 'retention-interrupted',
      configs: { 'retention.ms': String(HOUR) },
    })
    for (const i of range(3)) await produceOk(broker, topic, request(i, Date.now() - 2 * HOUR))
    await produceOk(broker, topic, request(3))
    const before = await readLog(broker, topic)

    const dying = maintenanceOn(storage)
    dieAt(dying.clients.dynamodb, 'TransactWriteItemsCommand', 2)
    const died = await run(dying.maintenance, ['retention'], [topic.name])
    expect(partitionReport(died, topic.name).outcome).toBe('failed')
    expect((await broker.topics.offsets(topic, 0)).logStartOffset).toBe(6)
    expect(await indexEntries(broker, topic, 0)).toHaveLength(4)
    expect(await readLog(broker, topic)).toEqual(before.slice(6))

    // The dead run still holds the lease: a run within its term finds the partition busy.
    const tooSoon = maintenanceOn(storage)
    expect(
      partitionReport(await run(tooSoon.maintenance, ['retention'], [topic.name]), topic.name)
        .outcome,
    ).toBe('busy')

    const later = maintenanceOn(storage, { aheadMs: 2 * 60_000 })
    const report = await run(later.maintenance, ['retention'], [topic.name])
    expect(partitionReport(report, topic.name).tasks.retention).toMatchObject({
      entriesBefore: 4,
      entriesAfter: 1,
      logStartOffset: { before: 6, after: 6 },
    })
    expect(await readLog(broker, topic)).toEqual(before.slice(6))
  })
})

describe('a compact-only topic', () => {
  it('is never cut by retention.ms', async () => {
    const topic = await broker.topics.create({
      name: 'retention-compact-only',
      configs: { 'cleanup.policy': 'compact', 'retention.ms': '1' },
    })
    await produceOk(broker, topic, [
      { key: { format: 'STRING', bytes: utf8('k') }, value: null, headers: [], timestamp: 0 },
    ])
    const { maintenance } = maintenanceOn(storage)
    expect((await run(maintenance, ['retention'], [topic.name])).partitions).toEqual([])
    expect((await broker.topics.offsets(topic, 0)).logStartOffset).toBe(0)
  })
})
