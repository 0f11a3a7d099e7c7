/** Shared by the broker integration tests: records to send, and the log read back in full. */
import { expect } from 'vitest'
import { type Broker, type BrokerOptions, createBroker } from '../../../lib/broker/broker.ts'
import { produce } from '../../../lib/broker/produce.ts'
import type { AppendedRecord, ProduceRecord } from '../../../lib/broker/produce-record.ts'
import type { ReadRecord } from '../../../lib/broker/reader.ts'
import type { RecordHeader } from '../../../lib/log/record.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import type { SegmentEntry } from '../../../lib/storage/ports/log.ts'
import type { TopicItem } from '../../../lib/storage/ports/topics.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'

export interface TestBroker {
  readonly storage: TestStorage
  readonly broker: Broker
}

/** A broker over fresh tables and a fresh bucket on the test engines. */
export async function createTestBroker(options: BrokerOptions = {}): Promise<TestBroker> {
  const storage = await createTestStorage()
  return { storage, broker: createBroker(awsStorage(storage.clients, storage.names), options) }
}

const encoder = new TextEncoder()

export function utf8(text: string): Uint8Array {
  return encoder.encode(text)
}

export function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i)
}

export interface RecordFields {
  readonly key?: Uint8Array | string | null
  readonly value?: Uint8Array | string | null
  readonly headers?: readonly RecordHeader[]
  readonly timestamp?: number
  readonly partition?: number
}

function payload(data: Uint8Array | string | null | undefined) {
  if (data === null || data === undefined) return null
  return { format: 'BINARY' as const, bytes: typeof data === 'string' ? utf8(data) : data }
}

/** A binary record as a produce request carries it; absent fields are left to the broker. */
export function record(fields: RecordFields): ProduceRecord {
  return {
    key: payload(fields.key),
    value: payload(fields.value),
    headers: fields.headers ?? [],
    ...(fields.timestamp !== undefined && { timestamp: fields.timestamp }),
    ...(fields.partition !== undefined && { partition: fields.partition }),
  }
}

/** Produces through the broker's produce path and expects every record to be acknowledged. */
export async function produceOk(
  broker: Broker,
  topic: TopicItem,
  records: readonly ProduceRecord[],
): Promise<AppendedRecord[]> {
  const outcomes = await produce(broker.appender, topic, records)
  expect(outcomes).toHaveLength(records.length)
  return outcomes.map((outcome) => {
    if (!outcome.ok) throw outcome.error
    return { partition: outcome.partition, offset: outcome.offset, timestamp: outcome.timestamp }
  })
}

/** Every record of a partition from `from` to the log end, read a page at a time. */
export async function readAll(
  broker: Broker,
  topic: TopicItem,
  partition: number,
  from = 0,
): Promise<ReadRecord[]> {
  const records: ReadRecord[] = []
  let offset = from
  for (;;) {
    const page = await broker.reader.read(topic, partition, {
      start: { kind: 'offset', offset },
      maxRecords: 500,
      maxBytes: 64 * 1024 * 1024,
      timeoutMs: 0,
    })
    records.push(...page.records)
    if (page.records.length === 0 || page.nextOffset >= page.logEndOffset) return records
    offset = page.nextOffset
  }
}

/** Every index entry of a partition, in offset order. */
export async function indexEntries(
  broker: Broker,
  topic: TopicItem,
  partition: number,
): Promise<SegmentEntry[]> {
  const entries: SegmentEntry[] = []
  for await (const entry of broker.segments.scan(topic.topicId, partition)) entries.push(entry)
  return entries
}

const hex = (bytes: Uint8Array | null) =>
  bytes === null ? null : Buffer.from(bytes).toString('hex')

/** What must survive the round trip, with bytes as hex so any byte difference shows. */
export function contentOf(record: {
  readonly key: Uint8Array | null
  readonly value: Uint8Array | null
  readonly headers: readonly RecordHeader[]
}) {
  return {
    key: hex(record.key),
    value: hex(record.value),
    headers: record.headers.map((header) => ({ key: header.key, value: hex(header.value) })),
  }
}

/** The same, for a record as it was sent. */
export function sentContentOf(sent: ProduceRecord) {
  return contentOf({
    key: sent.key?.bytes ?? null,
    value: sent.value?.bytes ?? null,
    headers: sent.headers,
  })
}

/** Deterministic pseudo-random bytes, so a failing run can be replayed. */
export function pseudoRandomBytes(seed: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  let state = (seed * 2654435761) >>> 0 || 1
  for (let i = 0; i < length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    bytes[i] = state & 0xff
  }
  return bytes
}
