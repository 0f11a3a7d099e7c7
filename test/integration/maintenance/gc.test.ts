import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Broker, createBroker } from '../../../lib/broker/broker.ts'
import { produce } from '../../../lib/broker/produce.ts'
import type { ProduceRecord } from '../../../lib/broker/produce-record.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { partitionKey } from '../../../lib/storage/keys.ts'
import type { TopicItem } from '../../../lib/storage/ports/topics.ts'
import { failCommand, gateCommand } from '../../support/faults.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'
import { produceOk, range, utf8 } from '../broker/helpers.ts'
import {
  beforeNthCommand,
  brokerOn,
  expectReferencedObjectsExist,
  HOUR,
  maintenanceOn,
  objectKeys,
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

const value = (text: string): ProduceRecord => ({
  key: null,
  value: { format: 'BINARY', bytes: utf8(text) },
  headers: [],
})

describe('garbage collection of objects', () => {
  it('deletes an object whose commit failed, once its grace period is over, and nothing referenced', async () => {
    const topic = await broker.topics.create({ name: 'gc-orphan' })
    for (const i of range(3)) await produceOk(broker, topic, [value(`kept-${i}`)])
    const writer = brokerOn(storage)
    const fault = failCommand(writer.clients.dynamodb, 'TransactWriteItemsCommand', () =>
      Object.assign(new Error('simulated crash before the commit'), { name: 'Crash' }),
    )
    // Without a producer id, a commit that fails unanswered has an unknown outcome.
    await expect(produce(writer.broker.appender, topic, [value('lost')])).rejects.toMatchObject({
      cause: { message: /crash/ },
    })
    fault.remove()
    expect(await objectKeys(storage, topic)).toHaveLength(4)
    const before = await readLog(broker, topic)

    const now = maintenanceOn(storage)
    const early = await run(now.maintenance, ['gc'], [topic.name])
    expect(early.gc).toMatchObject({ objectsBefore: 4, objectsDeleted: 0, objectsInGrace: 1 })

    const later = maintenanceOn(storage, { aheadMs: 2 * HOUR })
    const report = await run(later.maintenance, ['gc'], [topic.name])
    expect(report.gc).toMatchObject({ objectsBefore: 4, objectsDeleted: 1, objectsAfter: 3 })
    expect(report.gc?.bytesDeleted).toBeGreaterThan(0)
    expect(await objectKeys(storage, topic)).toHaveLength(3)
    await expectReferencedObjectsExist(storage, broker, topic)
    expect(await readLog(broker, topic)).toEqual(before)
  })

  it('deletes the ingest objects a merge replaced, after the grace period, and keeps the segment', async () => {
    const topic = await broker.topics.create({ name: 'gc-after-merge' })
    for (const i of range(4)) await produceOk(broker, topic, [value(`m-${i}`)])
    const before = await readLog(broker, topic)
    await run(maintenanceOn(storage).maintenance, ['merge'], [topic.name])
    expect(await objectKeys(storage, topic)).toHaveLength(5)

    const later = maintenanceOn(storage, { aheadMs: 2 * HOUR })
    const report = await run(later.maintenance, ['gc'], [topic.name])
    expect(report.gc).toMatchObject({ objectsDeleted: 4, objectsAfter: 1 })
    await expectReferencedObjectsExist(storage, broker, topic)
    expect(await readLog(broker, topic)).toEqual(before)
  })
})

describe('garbage collection racing a read', () => {
  it('serves a read that found an entry before a merge whose old objects GC then deleted', async () => {
    const topic = await broker.topics.create({ name: 'gc-under-read' })
    for (const i of range(4)) await produceOk(broker, topic, [value(`r-${i}`)])
    const before = await readLog(broker, topic)
    const reader = brokerOn(storage)
    // The reader has walked the index; before it fetches the first object, a merge
    // replaces the entries and a GC past their objects' grace deletes them.
    const interleave = beforeNthCommand(reader.clients.s3, 'GetObjectCommand', 1, async () => {
      await run(maintenanceOn(storage).maintenance, ['merge'], [topic.name])
      const gc = await run(
        maintenanceOn(storage, { aheadMs: 2 * HOUR }).maintenance,
        ['gc'],
        [topic.name],
      )
      expect(gc.gc?.objectsDeleted).toBe(4)
    })
    const read = await reader.broker.reader.read(topic, 0, {
      start: { kind: 'earliest' },
      maxRecords: 10,
      maxBytes: 1 << 20,
      timeoutMs: 0,
    })
    interleave.remove()
    expect(read.records.map(snapshot)).toEqual(before)
    expect(read.nextOffset).toBe(4)
  })
})

describe('garbage collection racing a commit', () => {
  /** A produce held between its object's PUT and its commit. */
  async function heldProduce(topic: TopicItem) {
    const writer = brokerOn(storage)
    const gate = gateCommand(writer.clients.dynamodb, 'TransactWriteItemsCommand')
    const produced = produce(writer.broker.appender, topic, [value('in flight')])
    await gate.arrived(1)
    return { gate, produced }
  }

  it('never deletes an object a commit is about to reference', async () => {
    const topic = await broker.topics.create({ name: 'gc-in-flight' })
    const { gate, produced } = await heldProduce(topic)
    const [object] = await objectKeys(storage, topic)

    // Unreferenced for now, but younger than the grace period.
    const report = await run(maintenanceOn(storage).maintenance, ['gc'], [topic.name])
    expect(report.gc).toMatchObject({ objectsBefore: 1, objectsDeleted: 0, objectsInGrace: 1 })

    gate.open()
    const [outcome] = await produced
    expect(outcome?.ok).toBe(true)
    expect(await objectKeys(storage, topic)).toEqual([object])
    const log = await readLog(broker, topic)
    expect(log.map((r) => Buffer.from(r.value ?? '', 'hex').toString())).toEqual(['in flight'])
  })

  it('would lose the record if the grace period did not outlast the commit', async () => {
    const topic = await broker.topics.create({ name: 'gc-no-grace' })
    const { gate, produced } = await heldProduce(topic)
    const reckless = maintenanceOn(storage, { objectGraceMs: 0, aheadMs: 1000 })
    const report = await run(reckless.maintenance, ['gc'], [topic.name])
    expect(report.gc?.objectsDeleted).toBe(1)
    gate.open()
    expect((await produced)[0]?.ok).toBe(true)
    // Acknowledged, yet its bytes are gone: exactly what the grace period prevents.
    await expect(readLog(broker, topic)).rejects.toThrow()
  })
})

describe('garbage collection of deleted topics', () => {
  it('purges a deleted topic and leaves the topic re-created under its name alone', async () => {
    const documents = DynamoDBDocumentClient.from(storage.clients.dynamodb)
    const old = await broker.topics.create({ name: 'gc-recreated' })
    for (const i of range(3)) await produceOk(broker, old, [value(`old-${i}`)])
    await run(maintenanceOn(storage).maintenance, ['merge'], [old.name])
    await broker.topics.delete(old.name)
    const fresh = await broker.topics.create({ name: 'gc-recreated' })
    await produceOk(broker, fresh, [value('new')])
    const created = await broker.topics.create({ name: 'gc-created-just-now' })
    const freshLog = await readLog(broker, fresh)

    const later = maintenanceOn(storage, { aheadMs: 2 * HOUR })
    const report = await run(later.maintenance, ['gc'])
    expect(report.gc?.deadPartitions).toBe(1)

    const key = partitionKey(old.topicId, 0)
    const item = (table: string) =>
      documents.send(new GetCommand({ TableName: table, Key: { partitionKey: key } }))
    expect((await item(storage.names.tables.partitions)).Item).toBeUndefined()
    expect((await item(storage.names.tables.leases)).Item).toBeUndefined()
    const { Items } = await documents.send(
      new QueryCommand({
        TableName: storage.names.tables.segments,
        KeyConditionExpression: 'partitionKey = :pk',
        ExpressionAttributeValues: { ':pk': key },
      }),
    )
    expect(Items).toEqual([])
    expect(await objectKeys(storage, old)).toEqual([])

    expect(await readLog(broker, fresh)).toEqual(freshLog)
    await expectReferencedObjectsExist(storage, broker, fresh)
    expect(await broker.topics.describe(created.name)).toEqual(created)
  })
})
