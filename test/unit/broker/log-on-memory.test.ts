/**
 * The produce and read paths end to end on the memory engine: no DynamoDB,
 * no S3, the same LogAppender and LogReader the services run.
 */
import { describe, expect, it } from 'vitest'
import { createBroker } from '../../../lib/broker/broker.ts'
import { produce } from '../../../lib/broker/produce.ts'
import type { ProduceRecord } from '../../../lib/broker/produce-record.ts'
import { memoryStorage } from '../../../lib/storage/memory/storage-engine.ts'

const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString())

function record(value: string, fields: Partial<ProduceRecord> = {}): ProduceRecord {
  return {
    key: null,
    value: { format: 'BINARY', bytes: Buffer.from(value) },
    headers: [],
    ...fields,
  }
}

const READ = {
  start: { kind: 'offset', offset: 0 },
  maxRecords: 100,
  maxBytes: 1 << 20,
  timeoutMs: 0,
} as const

describe('the log on the memory engine', () => {
  it('assigns contiguous offsets per partition and reads every record back', async () => {
    const broker = createBroker(memoryStorage())
    const topic = await broker.topics.create({ name: 'orders', partitionsCount: 2 })

    const first = await produce(broker.appender, topic, [
      record('a', { partition: 0 }),
      record('b', { partition: 1 }),
      record('c', { partition: 0 }),
    ])
    const second = await produce(broker.appender, topic, [record('d', { partition: 0 })])
    expect([...first, ...second].map((o) => o.ok && [o.partition, o.offset])).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [0, 2],
    ])

    const zero = await broker.reader.read(topic, 0, READ)
    expect(zero.records.map((r) => [r.offset, text(r.value)])).toEqual([
      [0, 'a'],
      [1, 'c'],
      [2, 'd'],
    ])
    expect(zero).toMatchObject({ nextOffset: 3, logStartOffset: 0, logEndOffset: 3 })
    const one = await broker.reader.read(topic, 1, READ)
    expect(one.records.map((r) => [r.offset, text(r.value)])).toEqual([[0, 'b']])
  })

  it('stores an idempotent batch sent twice once, answering the resend with its offsets', async () => {
    const broker = createBroker(memoryStorage())
    const topic = await broker.topics.create({ name: 'payments', partitionsCount: 1 })
    const producer = await broker.producers.initProducer()
    const batch = [
      record('x', { partition: 0, sequence: 0 }),
      record('y', { partition: 0, sequence: 1 }),
    ]

    const sent = await produce(broker.appender, topic, batch, producer)
    const resent = await produce(broker.appender, topic, batch, producer)
    expect(resent.map((o) => o.ok && o.offset)).toEqual(sent.map((o) => o.ok && o.offset))
    const read = await broker.reader.read(topic, 0, READ)
    expect(read.records.map((r) => text(r.value))).toEqual(['x', 'y'])
    expect(read.logEndOffset).toBe(2)
  })
})
