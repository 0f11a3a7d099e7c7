import { setTimeout as sleep } from 'node:timers/promises'
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { ReadRequest } from '../../../lib/broker/reader.ts'
import { OffsetOutOfRangeError } from '../../../lib/errors.ts'
import type { TopicItem } from '../../../lib/storage/ports/topics.ts'
import { countCommands } from '../../support/faults.ts'
import {
  createTestBroker,
  indexEntries,
  produceOk,
  range,
  record,
  type TestBroker,
} from './helpers.ts'

let ctx: TestBroker

beforeAll(async () => {
  ctx = await createTestBroker()
})

function request(start: ReadRequest['start'], fields: Partial<ReadRequest> = {}): ReadRequest {
  return { start, maxRecords: 1000, maxBytes: 1 << 24, timeoutMs: 0, ...fields }
}

const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString())

describe('a partition written by many requests', () => {
  let topic: TopicItem
  const values: string[] = []

  beforeAll(async () => {
    topic = await ctx.broker.topics.create({ name: 'many-entries' })
    // 60 requests of 1-3 records: 60 index entries, far more than one fetch round loads.
    for (const i of range(60)) {
      const batch = range(1 + (i % 3)).map((j) => `value-${i}-${j}`)
      await produceOk(
        ctx.broker,
        topic,
        batch.map((value) => record({ key: `k${i}`, value })),
      )
      values.push(...batch)
    }
  })

  it('has one index entry per request', async () => {
    expect(await indexEntries(ctx.broker, topic, 0)).toHaveLength(60)
  })

  it('returns every record in order in one read', async () => {
    const read = await ctx.broker.reader.read(topic, 0, request({ kind: 'earliest' }))
    expect(read.records.map((r) => r.offset)).toEqual(range(values.length))
    expect(read.records.map((r) => text(r.value))).toEqual(values)
    expect(read.nextOffset).toBe(values.length)
    expect(read.logStartOffset).toBe(0)
    expect(read.logEndOffset).toBe(values.length)
  })

  it('fetches only the entries the limits can use', async () => {
    const counter = countCommands(ctx.storage.clients.s3)
    onTestFinished(() => counter.remove())
    // Offsets 0-2 sit in the first two entries (1 and 2 records): two GETs, not a full wave.
    const read = await ctx.broker.reader.read(
      topic,
      0,
      request({ kind: 'earliest' }, { maxRecords: 3 }),
    )
    expect(read.records.map((r) => r.offset)).toEqual([0, 1, 2])
    expect(counter.count('GetObjectCommand')).toBe(2)
  })

  it('stops at maxRecords, mid-entry, and says where to go on', async () => {
    // Offset 5 is in the middle of an entry (request 2 holds offsets 3, 4, 5).
    const read = await ctx.broker.reader.read(
      topic,
      0,
      request({ kind: 'offset', offset: 4 }, { maxRecords: 7 }),
    )
    expect(read.records.map((r) => r.offset)).toEqual([4, 5, 6, 7, 8, 9, 10])
    expect(read.records.map((r) => text(r.value))).toEqual(values.slice(4, 11))
    expect(read.nextOffset).toBe(11)

    // Offset 11 is inside the entry the read stopped in: the next read starts there without
    // looking it up, and queries the index only for the entries after it.
    const counter = countCommands(ctx.storage.clients.dynamodb)
    onTestFinished(() => counter.remove())
    const next = await ctx.broker.reader.read(
      topic,
      0,
      request({ kind: 'offset', offset: read.nextOffset }, { maxRecords: 2 }),
    )
    counter.remove()
    expect(next.records.map((r) => r.offset)).toEqual([11, 12])
    expect(counter.count('QueryCommand')).toBe(1)
  })

  it('starts at the log start for earliest, and at the log end for latest', async () => {
    const earliest = await ctx.broker.reader.read(
      topic,
      0,
      request({ kind: 'earliest' }, { maxRecords: 1 }),
    )
    expect(earliest.records.map((r) => r.offset)).toEqual([0])

    const latest = await ctx.broker.reader.read(topic, 0, request({ kind: 'latest' }))
    expect(latest.records).toEqual([])
    expect(latest.nextOffset).toBe(values.length)
    expect(latest.logEndOffset).toBe(values.length)
  })

  it('returns nothing at the log end, and refuses offsets outside the log naming its range', async () => {
    const end = values.length
    const atEnd = await ctx.broker.reader.read(topic, 0, request({ kind: 'offset', offset: end }))
    expect(atEnd.records).toEqual([])
    expect(atEnd.nextOffset).toBe(end)
    expect(atEnd.logEndOffset).toBe(end)

    for (const offset of [end + 1, end + 1000, -1]) {
      const error = await ctx.broker.reader
        .read(topic, 0, request({ kind: 'offset', offset }))
        .then(
          () => expect.fail(`offset ${offset} should be out of range`),
          (thrown: unknown) => thrown,
        )
      expect(error).toBeInstanceOf(OffsetOutOfRangeError)
      expect(error).toMatchObject({ offset, logStartOffset: 0, logEndOffset: end })
      expect((error as Error).message).toContain(`0 to ${end}`)
    }
  })
})

describe('read limits', () => {
  it('stops before maxBytes is exceeded, but always returns at least one record', async () => {
    const topic = await ctx.broker.topics.create({ name: 'max-bytes' })
    const hundred = 'x'.repeat(100)
    // Key + value = 2 + 100 bytes per record; one big record in the middle.
    await produceOk(ctx.broker, topic, [
      record({ key: 'k0', value: hundred }),
      record({ key: 'k1', value: hundred }),
      record({ key: 'k2', value: hundred }),
    ])
    await produceOk(ctx.broker, topic, [record({ key: 'k3', value: 'y'.repeat(5000) })])
    await produceOk(ctx.broker, topic, [record({ key: 'k4', value: hundred })])

    const two = await ctx.broker.reader.read(
      topic,
      0,
      request({ kind: 'earliest' }, { maxBytes: 250 }),
    )
    expect(two.records.map((r) => r.offset)).toEqual([0, 1])
    expect(two.nextOffset).toBe(2)

    // 102 fits, the 5002-byte record after it does not: the read stops before it.
    const one = await ctx.broker.reader.read(
      topic,
      0,
      request({ kind: 'offset', offset: 2 }, { maxBytes: 250 }),
    )
    expect(one.records.map((r) => r.offset)).toEqual([2])

    const big = await ctx.broker.reader.read(
      topic,
      0,
      request({ kind: 'offset', offset: 3 }, { maxBytes: 10 }),
    )
    expect(big.records.map((r) => r.offset)).toEqual([3])
    expect(big.records[0]?.value?.length).toBe(5000)
    expect(big.nextOffset).toBe(4)
  })
})

describe('seeking by timestamp', () => {
  it('starts at the first offset whose timestamp is at or after the one asked for', async () => {
    const topic = await ctx.broker.topics.create({ name: 'by-timestamp' })
    // Timestamps are not monotonic, as CreateTime from many producers is not.
    const requests = [[1000, 3000], [2000], [2500, 4000], [3500], [6000, 5000]]
    for (const [i, timestamps] of requests.entries()) {
      await produceOk(
        ctx.broker,
        topic,
        timestamps.map((timestamp, j) => record({ value: `r${i}-${j}`, timestamp })),
      )
    }
    // Offsets: 0→1000 1→3000 2→2000 3→2500 4→4000 5→3500 6→6000 7→5000
    const cases: [number, number][] = [
      [0, 0],
      [1000, 0],
      [1001, 1],
      [2000, 1],
      [3000, 1],
      [3001, 4],
      [3600, 4],
      [4001, 6],
      [5000, 6],
      [6000, 6],
    ]
    for (const [timestamp, offset] of cases) {
      expect(
        await ctx.broker.reader.offsetForTimestamp(topic, 0, timestamp),
        `timestamp ${timestamp}`,
      ).toBe(offset)
      const read = await ctx.broker.reader.read(
        topic,
        0,
        request({ kind: 'timestamp', timestamp }, { maxRecords: 1 }),
      )
      expect(read.records.map((r) => r.offset)).toEqual([offset])
    }

    // Past every timestamp: the log end, where a read finds nothing yet.
    const past = await ctx.broker.reader.read(
      topic,
      0,
      request({ kind: 'timestamp', timestamp: 6001 }),
    )
    expect(past.records).toEqual([])
    expect(past.nextOffset).toBe(8)
  })
})

describe('long polling', () => {
  it('returns a record produced while the read waits at the log end', async () => {
    const topic = await ctx.broker.topics.create({ name: 'long-poll' })
    await produceOk(ctx.broker, topic, [record({ value: 'before' })])

    const waiting = ctx.broker.reader.read(
      topic,
      0,
      request({ kind: 'latest' }, { timeoutMs: 3000 }),
    )
    await sleep(300)
    const [acked] = await produceOk(ctx.broker, topic, [record({ value: 'during' })])
    const read = await waiting

    expect(acked?.offset).toBe(1)
    expect(read.records.map((r) => [r.offset, text(r.value)])).toEqual([[1, 'during']])
    expect(read.nextOffset).toBe(2)
  })

  it('wakes when the record arrives instead of sleeping out its timeout', async () => {
    const topic = await ctx.broker.topics.create({ name: 'long-poll-wake' })
    // A timeout far beyond the test's patience: only waking early can pass.
    const waiting = ctx.broker.reader.read(
      topic,
      0,
      request({ kind: 'latest' }, { timeoutMs: 25_000 }),
    )
    await sleep(300)
    await produceOk(ctx.broker, topic, [record({ value: 'wake' })])
    const outcome = await Promise.race([waiting, sleep(10_000, 'still waiting' as const)])

    expect(outcome).not.toBe('still waiting')
    const read = await waiting
    expect(read.records.map((r) => [r.offset, text(r.value)])).toEqual([[0, 'wake']])
  })

  it('returns nothing when nothing is produced before the timeout', async () => {
    const topic = await ctx.broker.topics.create({ name: 'long-poll-idle' })
    await produceOk(ctx.broker, topic, [record({ value: 'only' })])

    const read = await ctx.broker.reader.read(
      topic,
      0,
      request({ kind: 'offset', offset: 1 }, { timeoutMs: 400 }),
    )
    expect(read.records).toEqual([])
    expect(read.nextOffset).toBe(1)
    expect(read.logEndOffset).toBe(1)
  })
})

describe('one request with a great many records', () => {
  it('commits 200,000 records of one partition from one request, with their timestamp range', async () => {
    const topic = await ctx.broker.topics.create({ name: 'one-large-request' })
    const count = 200_000
    const base = Date.UTC(2026, 0, 1)
    // Far more than a call can take as arguments, in scrambled order.
    const timestamps = range(count).map((i) => base + ((i * 7919) % count))
    const appended = await produceOk(
      ctx.broker,
      topic,
      timestamps.map((timestamp) => record({ value: 'v', timestamp, partition: 0 })),
    )
    expect(appended.at(-1)?.offset).toBe(count - 1)
    const [entry, ...more] = await indexEntries(ctx.broker, topic, 0)
    expect(more).toEqual([])
    expect(entry).toMatchObject({
      baseOffset: 0,
      lastOffset: count - 1,
      recordCount: count,
      minTimestamp: base,
      maxTimestamp: base + count - 1,
    })
  }, 120_000)
})
