import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Broker, createBroker } from '../../../lib/broker/broker.ts'
import type { SchemalessFormat } from '../../../lib/broker/payload-formats.ts'
import type { Payload, ProduceRecord } from '../../../lib/broker/produce-record.ts'
import type { ReadRequest } from '../../../lib/broker/reader.ts'
import { decodeRecordBatches, readBatchHeader } from '../../../lib/log/record-batch.ts'
import type { MaintenanceReport } from '../../../lib/maintenance/report.ts'
import { S3ObjectStore } from '../../../lib/storage/aws/objects.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { partitionKey } from '../../../lib/storage/keys.ts'
import { OFFSET_INDEX_STRIDE_BYTES } from '../../../lib/storage/offset-index.ts'
import type { TopicItem } from '../../../lib/storage/ports/topics.ts'
import { countCommands } from '../../support/faults.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'
import { indexEntries, produceOk, range, utf8 } from '../broker/helpers.ts'
import {
  beforeNthCommand,
  brokerOn,
  maintenanceOn,
  partitionReport,
  readLog,
  run,
  snapshot,
} from './support.ts'

let storage: TestStorage
let broker: Broker

beforeAll(async () => {
  storage = await createTestStorage()
  broker = createBroker(awsStorage(storage.clients, storage.names))
})

const payload = (format: SchemalessFormat, text: string): Payload => ({
  format,
  bytes: utf8(text),
})

/** Request `i`: one to three records with every payload format, a header, and now and then a null value. */
function request(i: number, partition = 0): ProduceRecord[] {
  return range(1 + (i % 3)).map((j) => ({
    partition,
    key: payload('STRING', `key-${i % 7}`),
    value: j === 2 ? null : payload(j === 0 ? 'JSON' : 'BINARY', j === 0 ? `{"n":${i}}` : `v-${i}`),
    headers: [{ key: 'request', value: utf8(String(i)) }],
  }))
}

/** Produces `count` requests, a few at a time, each its own ingest object and index entry. */
async function produceRequests(topic: TopicItem, count: number, partition = 0): Promise<void> {
  for (let i = 0; i < count; i += 5) {
    await Promise.all(
      range(Math.min(5, count - i)).map((j) => produceOk(broker, topic, request(i + j, partition))),
    )
  }
}

const readFrom = (offset: number): ReadRequest => ({
  start: { kind: 'offset', offset },
  maxRecords: 10_000,
  maxBytes: 64 * 1024 * 1024,
  timeoutMs: 0,
})

describe('merging many small ingest ranges', () => {
  let topic: TopicItem

  beforeAll(async () => {
    topic = await broker.topics.create({ name: 'many-small-requests' })
    await produceRequests(topic, 120)
  })

  it('cuts the S3 GETs a read from the start needs by at least 10×, with identical records at the same offsets', async () => {
    const beforeCount = countCommands(storage.clients.s3)
    const before = await readLog(broker, topic)
    beforeCount.remove()
    const getsBefore = beforeCount.count('GetObjectCommand')

    const { maintenance } = maintenanceOn(storage)
    const report = await run(maintenance, ['merge'])

    const afterCount = countCommands(storage.clients.s3)
    const after = await readLog(broker, topic)
    afterCount.remove()
    const getsAfter = afterCount.count('GetObjectCommand')

    expect(before).toHaveLength(240)
    expect(after).toEqual(before)
    expect(getsBefore).toBe(120)
    expect(getsAfter).toBeGreaterThan(0)
    expect(getsBefore / getsAfter).toBeGreaterThanOrEqual(10)
    const merge = partitionReport(report, topic.name).tasks.merge
    expect(merge).toMatchObject({ entriesBefore: 120, entriesAfter: getsAfter, complete: true })
    expect(merge?.bytesRewritten).toBeGreaterThan(0)
  })

  it('writes segments of Kafka RecordBatch v2 at their real offsets, servable as they are', async () => {
    const objects = new S3ObjectStore(storage.clients.s3, storage.names.bucket)
    const entries = await indexEntries(broker, topic, 0)
    expect(entries.length).toBeLessThanOrEqual(15)
    let expected = 0
    for (const entry of entries) {
      expect(entry.objectKey).toContain(`topics/${topic.topicId}/segments/0/`)
      const bytes = await objects.getRange(entry.objectKey, entry.byteOffset, entry.byteLength)
      expect(readBatchHeader(bytes).baseOffset).toBe(entry.baseOffset)
      // No shifting: the offsets in the bytes are the log's offsets.
      const offsets = decodeRecordBatches(bytes).map((record) => record.offset)
      expect(offsets).toEqual(range(entry.recordCount).map((i) => entry.baseOffset + i))
      expect(entry.baseOffset).toBe(expected)
      expected = entry.lastOffset + 1
    }
    expect(expected).toBe(240)
  })

  it('finds nothing left to merge on the next run', async () => {
    const { maintenance } = maintenanceOn(storage)
    const report = await run(maintenance, ['merge'], [topic.name])
    expect(report.partitions).toEqual([])
    expect(report.idlePartitions).toBe(1)
    expect(report.complete).toBe(true)
  })
})

describe('a merged segment read from its middle', () => {
  let topic: TopicItem

  /** 60 requests of 8 records of 1 KiB values: about 500 KiB, several offset index strides. */
  beforeAll(async () => {
    topic = await broker.topics.create({ name: 'read-from-the-middle' })
    for (let i = 0; i < 60; i += 6) {
      await Promise.all(
        range(6).map((j) =>
          produceOk(
            broker,
            topic,
            range(8).map((k) => ({
              partition: 0,
              key: payload('STRING', `key-${i + j}-${k}`),
              value: payload(k % 2 ? 'BINARY' : 'JSON', `{"v":"${'x'.repeat(1000)}${i + j}"}`),
              headers: [],
            })),
          ),
        ),
      )
    }
  })

  it('range-GETs only the part a page needs, and paging through it returns every record', async () => {
    const before = await readLog(broker, topic)
    expect(before).toHaveLength(480)
    const { maintenance } = maintenanceOn(storage)
    await run(maintenance, ['merge'], [topic.name])
    const [segment, ...rest] = await indexEntries(broker, topic, 0)
    expect(rest).toEqual([])
    expect(segment?.offsetIndex?.split(',').length).toBeGreaterThanOrEqual(3)

    const ranges: string[] = []
    const name = 'capture-get-ranges'
    storage.clients.s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetObjectCommand') {
          ranges.push(String((args.input as { Range?: string }).Range))
        }
        return next(args)
      },
      { step: 'initialize', name },
    )
    const pages = []
    let reads = 0
    try {
      for (let offset = 200; offset < 480; ) {
        const page = await broker.reader.read(topic, 0, { ...readFrom(offset), maxRecords: 50 })
        expect(page.records.length).toBeGreaterThan(0)
        pages.push(...page.records.map(snapshot))
        reads++
        offset = page.nextOffset
      }
    } finally {
      storage.clients.s3.middlewareStack.remove(name)
    }
    expect(pages).toEqual(before.slice(200))
    const fetched = ranges.map((range) => {
      const [start, end] = range.replace('bytes=', '').split('-').map(Number)
      return (end as number) - (start as number) + 1
    })
    // Each page of about 50 KiB fetched what it needs and at most a stride on either side.
    expect(fetched).toHaveLength(reads)
    for (const length of fetched) {
      expect(length).toBeLessThan(50 * 1100 + 2 * OFFSET_INDEX_STRIDE_BYTES)
    }
  })
})

describe('a read while a merge replaces the entries it walks', () => {
  /** 12 entries of 3 records; merges fold them four at a time. */
  async function twelveEntries(name: string) {
    const topic = await broker.topics.create({ name })
    for (const i of range(12)) {
      await produceOk(
        broker,
        topic,
        range(3).map((j) => ({ key: null, value: payload('BINARY', `v${i}-${j}`), headers: [] })),
      )
    }
    const [first] = await indexEntries(broker, topic, 0)
    const targetSegmentBytes = Math.floor((first?.byteLength ?? 0) * 4.5)
    return { topic, before: await readLog(broker, topic), targetSegmentBytes }
  }

  it('sees each offset exactly once when the merge lands between two of its index queries', async () => {
    const { topic, before, targetSegmentBytes } = await twelveEntries('read-during-merge')
    const reader = brokerOn(storage, { reader: { fetchConcurrency: 2 } })
    const { maintenance } = maintenanceOn(storage, { targetSegmentBytes })
    let merged: MaintenanceReport | undefined
    // The first query found entries 0 and 1; the second would go on after them.
    const hook = beforeNthCommand(reader.clients.dynamodb, 'QueryCommand', 2, async () => {
      merged = await run(maintenance, ['merge'], [topic.name])
    })
    const read = await reader.broker.reader.read(topic, 0, readFrom(0))
    hook.remove()

    expect(merged?.totals.segmentsWritten).toBe(3)
    expect(read.records.map(snapshot)).toEqual(before)
    expect(read.nextOffset).toBe(36)
  })

  it('sees each offset exactly once from the middle of an entry, the merge landing before its floor lookup', async () => {
    const { topic, before, targetSegmentBytes } = await twelveEntries('read-mid-entry-during-merge')
    const reader = brokerOn(storage, { reader: { fetchConcurrency: 2 } })
    const { maintenance } = maintenanceOn(storage, { targetSegmentBytes })
    // Offset 7 is inside entry 6-8: the first query finds entries from 9 on, the second looks for 7's holder.
    const hook = beforeNthCommand(reader.clients.dynamodb, 'QueryCommand', 2, async () => {
      await run(maintenance, ['merge'], [topic.name])
    })
    const read = await reader.broker.reader.read(topic, 0, readFrom(7))
    hook.remove()
    expect(read.records.map(snapshot)).toEqual(before.slice(7))
  })

  it('waits out a rewrite it sees half done, instead of skipping the offsets in the hole', async () => {
    const { topic, before } = await twelveEntries('read-half-visible-rewrite')
    const documents = DynamoDBDocumentClient.from(storage.clients.dynamodb)
    const [, second] = await indexEntries(broker, topic, 0)
    if (!second) throw new Error('expected a second entry')
    // A Query may see a transaction's delete before its put: here, entry 3-5 gone and nothing in its place.
    const key = { partitionKey: partitionKey(topic.topicId, 0), baseOffset: second.baseOffset }
    await documents.send(new DeleteCommand({ TableName: storage.names.tables.segments, Key: key }))
    const reader = brokerOn(storage)
    // The reader reads the head to tell a hole from retention; then the rest of the rewrite shows.
    const hook = beforeNthCommand(reader.clients.dynamodb, 'BatchGetItemCommand', 2, async () => {
      await documents.send(
        new PutCommand({
          TableName: storage.names.tables.segments,
          Item: { ...second, partitionKey: key.partitionKey },
        }),
      )
    })
    const read = await reader.broker.reader.read(topic, 0, readFrom(0))
    hook.remove()
    expect(read.records.map(snapshot)).toEqual(before)
  })
})

describe('a run that stops at its deadline', () => {
  it('leaves every step it took whole, and the next run starts with the partitions it did not reach', async () => {
    const topic = await broker.topics.create({ name: 'deadline', partitionsCount: 3 })
    for (const partition of range(3)) await produceRequests(topic, 6, partition)
    const before = await Promise.all(range(3).map((p) => readLog(broker, topic, p)))

    let now = Date.now()
    const first = maintenanceOn(storage, { clock: () => now })
    // Time runs out while the first partition's merge commits.
    const hook = beforeNthCommand(first.clients.dynamodb, 'TransactWriteItemsCommand', 1, () => {
      now += 120_000
    })
    const stopped = await first.maintenance.run({
      tasks: ['merge'],
      topics: [topic.name],
      budgetMs: 60_000,
    })
    hook.remove()
    expect(stopped.complete).toBe(false)
    expect(stopped.partitions).toHaveLength(1)
    expect(stopped.unvisitedPartitions).toBe(2)
    const done = stopped.partitions[0]?.partition

    const second = maintenanceOn(storage)
    const resumed = await run(second.maintenance, ['merge'], [topic.name])
    expect(resumed.complete).toBe(true)
    // The partitions never merged come first; the one done last time has nothing left to do.
    expect(resumed.partitions.map((p) => p.partition).sort()).toEqual(
      range(3).filter((p) => p !== done),
    )
    expect(resumed.idlePartitions).toBe(1)
    for (const partition of range(3)) {
      expect(await readLog(broker, topic, partition)).toEqual(before[partition])
      expect(await indexEntries(broker, topic, partition)).toHaveLength(1)
    }
  })
})

describe('a partition whose formats alternate record by record', () => {
  it('merges into segments whose format runs fit in a DynamoDB item', async () => {
    const topic = await broker.topics.create({ name: 'alternating-formats' })
    // 60 entries of 2,000 records, each record's format another than the last:
    // runs of one, about 10 KB per entry, far beyond DynamoDB's 400 KB item once merged.
    for (const i of range(60)) {
      await produceOk(
        broker,
        topic,
        range(2000).map((j) => ({
          partition: 0,
          key: null,
          value: payload(j % 2 === 0 ? 'STRING' : 'BINARY', String(i % 10)),
          headers: [],
        })),
      )
    }
    // One read for everything: pages would decode each large merged segment again and again.
    const readEverything = async () =>
      (
        await broker.reader.read(topic, 0, {
          start: { kind: 'earliest' },
          maxRecords: 200_000,
          maxBytes: 1 << 30,
          timeoutMs: 0,
        })
      ).records.map(snapshot)
    const before = await readEverything()
    expect(before).toHaveLength(120_000)
    const report = await run(maintenanceOn(storage).maintenance, ['merge'], [topic.name])
    expect(partitionReport(report, topic.name)).toMatchObject({ outcome: 'done' })
    const entries = await indexEntries(broker, topic, 0)
    expect(entries.length).toBeLessThan(60)
    expect(entries.length).toBeGreaterThan(1)
    for (const entry of entries) expect(entry.formats.length).toBeLessThan(400_000)
    expect(await readEverything()).toEqual(before)
  }, 120_000)
})
