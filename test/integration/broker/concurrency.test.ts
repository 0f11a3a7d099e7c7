import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { type Broker, createBroker } from '../../../lib/broker/broker.ts'
import type { AppendedRecord, ProduceRecord } from '../../../lib/broker/produce-record.ts'
import { partitionForKey } from '../../../lib/common/partitioner.ts'
import type { AwsClients } from '../../../lib/storage/aws/clients.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { testClients } from '../../support/clients.ts'
import { type CommandCounter, countCommands, gateCommand } from '../../support/faults.ts'
import {
  contentOf,
  createTestBroker,
  produceOk,
  pseudoRandomBytes,
  range,
  readAll,
  record,
  sentContentOf,
  type TestBroker,
  utf8,
} from './helpers.ts'

const PRODUCERS = 16
/**
 * Brokers the producers are spread over, as processes would be. Within one,
 * commits to a partition take turns; between them, they race.
 */
const PROCESSES = 4
/**
 * Requests per producer. Commits to one partition are serial by design, and
 * DynamoDB Local takes 15-40 ms per transaction, so these counts keep each
 * test to a few seconds while 16 writers still contend on every commit.
 */
const REQUESTS = 12
const KEYED_REQUESTS = 8
const BASE_TIME = 1_700_000_000_000

let ctx: TestBroker

beforeAll(async () => {
  ctx = await createTestBroker()
})

interface Sent {
  readonly producer: number
  readonly seq: number
  readonly record: ProduceRecord
  readonly acked: AppendedRecord
}

/**
 * A record that exercises the codec: null keys and values now and then, empty
 * and binary payloads, a null header value, a non-ASCII header key, and an
 * explicit timestamp on most records (the rest take the broker's clock).
 */
function producerRecord(producer: number, seq: number, key?: string): ProduceRecord {
  const n = producer * 1000 + seq
  return record({
    key: key ?? (seq % 7 === 3 ? null : `producer-${producer}`),
    value: seq % 11 === 5 ? null : pseudoRandomBytes(n + 1, (n * 37) % 300),
    headers: [
      { key: 'producer', value: utf8(String(producer)) },
      { key: 'seq', value: utf8(String(seq)) },
      ...(seq % 4 === 0 ? [{ key: 'héader-✓', value: null }] : []),
    ],
    ...(seq % 5 !== 2 && { timestamp: BASE_TIME + n * 17 }),
  })
}

/** Runs the producers at once; each sends its requests one after another, as a client would. */
async function runProducers(
  producers: number,
  requests: number,
  send: (producer: number, records: ProduceRecord[]) => Promise<AppendedRecord[]>,
  keyOf?: (producer: number, seq: number) => string,
): Promise<Sent[]> {
  const sent: Sent[] = []
  await Promise.all(
    range(producers).map(async (producer) => {
      let seq = 0
      for (let request = 0; request < requests; request++) {
        const count = 1 + ((producer * 7 + request * 3) % 5)
        const batch = range(count).map((i) => ({
          seq: seq + i,
          record: producerRecord(producer, seq + i, keyOf?.(producer, seq + i)),
        }))
        seq += count
        const acked = await send(
          producer,
          batch.map((b) => b.record),
        )
        batch.forEach((b, i) => {
          sent.push({ producer, seq: b.seq, record: b.record, acked: acked[i] as AppendedRecord })
        })
      }
    }),
  )
  return sent
}

describe('concurrent producers on one partition', () => {
  it('assigns unique, gap-free offsets and stores every acknowledged record byte for byte', async () => {
    const { broker, storage } = ctx
    const topic = await broker.topics.create({ name: 'one-partition' })
    const processes = range(PROCESSES).map(() =>
      createBroker(awsStorage(storage.clients, storage.names)),
    )
    const counter = countCommands(storage.clients.dynamodb)
    const sent = await runProducers(PRODUCERS, REQUESTS, (producer, records) =>
      produceOk(processes[producer % PROCESSES] as Broker, topic, records),
    ).finally(() => counter.remove())

    const total = sent.length
    expect(total).toBeGreaterThan(PRODUCERS * REQUESTS)
    expect(sent.every((s) => s.acked.partition === 0)).toBe(true)
    const offsets = sent.map((s) => s.acked.offset).sort((a, b) => a - b)
    expect(new Set(offsets).size).toBe(total)
    expect(offsets).toEqual(range(total))
    expect(await broker.topics.offsets(topic, 0)).toEqual({
      logStartOffset: 0,
      logEndOffset: total,
    })

    const log = await readAll(broker, topic, 0)
    expect(log.map((r) => r.offset)).toEqual(range(total))
    const byOffset = new Map(sent.map((s) => [s.acked.offset, s]))
    for (const stored of log) {
      const s = byOffset.get(stored.offset) as Sent
      expect(contentOf(stored), `offset ${stored.offset}`).toEqual(sentContentOf(s.record))
      expect(stored.timestamp).toBe(s.acked.timestamp)
      if (s.record.timestamp !== undefined) expect(stored.timestamp).toBe(s.record.timestamp)
    }

    // Each producer waited for its acknowledgement before sending on, so its records are in order.
    for (const producer of range(PRODUCERS)) {
      const mine = log.filter(
        (r) => Buffer.from(r.headers[0]?.value ?? []).toString() === `${producer}`,
      )
      const seqs = mine.map((r) => Number(Buffer.from(r.headers[1]?.value ?? []).toString()))
      expect(seqs).toEqual(range(seqs.length))
    }

    // Contention was real: commits lost races, and were retried until every request got in.
    const commits = counter.calls.filter((c) => c.commandName === 'TransactWriteItemsCommand')
    const lost = commits.filter((c) => c.error === 'TransactionCanceledException')
    expect(lost.length).toBeGreaterThan(0)
    // A process commits the requests waiting for a partition together, so no more than one each.
    expect(commits.length - lost.length).toBeLessThanOrEqual(PRODUCERS * REQUESTS)
  })

  it('lets one process commit its concurrent requests together, at the log end it last wrote', async () => {
    const { storage } = ctx
    const broker = createBroker(awsStorage(storage.clients, storage.names))
    const topic = await broker.topics.create({ name: 'one-process' })
    const counter = countCommands(storage.clients.dynamodb)
    const sent = await runProducers(PRODUCERS, 2, (_, records) =>
      produceOk(broker, topic, records),
    ).finally(() => counter.remove())

    const offsets = sent.map((s) => s.acked.offset).sort((a, b) => a - b)
    expect(offsets).toEqual(range(sent.length))
    const log = await readAll(broker, topic, 0)
    const byOffset = new Map(sent.map((s) => [s.acked.offset, s]))
    for (const stored of log) {
      expect(contentOf(stored)).toEqual(sentContentOf((byOffset.get(stored.offset) as Sent).record))
    }
    // No commit lost a race to a sibling: requests that waited for the partition's turn were
    // committed together, in fewer transactions than requests; only the first read the head.
    const commits = counter.calls.filter((c) => c.commandName === 'TransactWriteItemsCommand')
    expect(commits.filter((c) => c.error !== undefined)).toEqual([])
    expect(commits.length).toBeLessThan(PRODUCERS * 2)
    expect(counter.calls.filter((c) => c.commandName === 'BatchGetItemCommand')).toHaveLength(1)
  })

  it('keeps each key on one partition and every partition gap-free across a 4-partition topic', async () => {
    const { broker } = ctx
    const partitions = 4
    const topic = await broker.topics.create({ name: 'keyed', partitionsCount: partitions })
    const keyOf = (producer: number, seq: number) => `key-${(producer * 5 + seq) % 24}`
    const sent = await runProducers(
      PRODUCERS,
      KEYED_REQUESTS,
      (_, records) => produceOk(broker, topic, records),
      keyOf,
    )

    const partitionOfKey = new Map<string, Set<number>>()
    for (const s of sent) {
      const key = Buffer.from(s.record.key?.bytes ?? []).toString()
      const seen = partitionOfKey.get(key) ?? new Set()
      seen.add(s.acked.partition)
      partitionOfKey.set(key, seen)
    }
    for (const [key, seen] of partitionOfKey) {
      expect([...seen], key).toEqual([partitionForKey(utf8(key), partitions)])
    }

    const used = new Set(sent.map((s) => s.acked.partition))
    expect(used.size).toBeGreaterThan(1)
    for (const partition of range(partitions)) {
      const mine = sent.filter((s) => s.acked.partition === partition)
      const offsets = mine.map((s) => s.acked.offset).sort((a, b) => a - b)
      expect(offsets, `partition ${partition}`).toEqual(range(mine.length))
      expect((await broker.topics.offsets(topic, partition)).logEndOffset).toBe(mine.length)

      const log = await readAll(broker, topic, partition)
      expect(log.map((r) => r.offset)).toEqual(range(mine.length))
      const byOffset = new Map(mine.map((s) => [s.acked.offset, s]))
      for (const stored of log) {
        const s = byOffset.get(stored.offset) as Sent
        expect(contentOf(stored)).toEqual(sentContentOf(s.record))
        expect(stored.timestamp).toBe(s.acked.timestamp)
      }
      // A producer's records on one partition (so for each of its keys) keep the order it sent them in.
      for (const producer of range(PRODUCERS)) {
        const seqs = mine
          .filter((s) => s.producer === producer)
          .sort((a, b) => a.acked.offset - b.acked.offset)
          .map((s) => s.seq)
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
      }
    }
  })
})

describe('a lost commit race', () => {
  it('is retried with a new base offset, so both racing appenders succeed', async () => {
    const { broker, storage } = ctx
    const topic = await broker.topics.create({ name: 'race' })
    // Two brokers as two processes would be: separate clients, same tables and bucket.
    const racers = [testClients(), testClients()].map((dynamo) => {
      const clients: AwsClients = { ...storage.clients, dynamodb: dynamo.dynamodb }
      return {
        broker: createBroker(awsStorage(clients, storage.names)),
        // Both read the head (at 0) before either commits: exactly one commit can win.
        gate: gateCommand(clients.dynamodb, 'TransactWriteItemsCommand', { times: 1 }),
        counter: countCommands(clients.dynamodb),
      }
    })
    onTestFinished(() => {
      for (const racer of racers) {
        racer.gate.open()
        racer.gate.remove()
        racer.counter.remove()
      }
    })
    const produced = racers.map((racer, i) =>
      produceOk(
        racer.broker,
        topic,
        range(3).map((j) => record({ key: `racer-${i}`, value: `value-${i}-${j}` })),
      ),
    )
    await Promise.all(racers.map((racer) => racer.gate.arrived(1)))
    for (const racer of racers) racer.gate.open()
    const acked = await Promise.all(produced)

    const offsets = acked.flat().map((a) => a.offset)
    expect([...offsets].sort((a, b) => a - b)).toEqual(range(6))
    // Each request's records are contiguous: one started at 0, the other at 3.
    expect(acked.map((a) => a[0]?.offset).sort()).toEqual([0, 3])

    const calls = racers.flatMap((racer) => racer.counter.calls)
    const lost = calls.filter((c) => c.error === 'TransactionCanceledException')
    expect(lost.length).toBeGreaterThan(0)
    for (const call of lost) {
      expect(
        call.cancellationReasons?.some((code) =>
          ['ConditionalCheckFailed', 'TransactionConflict'].includes(code),
        ),
      ).toBe(true)
    }
    // Every lost commit went round again until both requests were in.
    const commits = calls.filter((c) => c.commandName === 'TransactWriteItemsCommand')
    expect(commits).toHaveLength(2 + lost.length)

    const log = await readAll(broker, topic, 0)
    expect(log.map((r) => Buffer.from(r.value ?? []).toString()).sort()).toEqual([
      'value-0-0',
      'value-0-1',
      'value-0-2',
      'value-1-0',
      'value-1-1',
      'value-1-2',
    ])
  })

  it('costs a process whose remembered log end went stale one lost race, then it reads the head', async () => {
    const { storage } = ctx
    const [first, second] = [testClients(), testClients()].map((dynamo) => {
      const clients: AwsClients = { ...storage.clients, dynamodb: dynamo.dynamodb }
      return {
        broker: createBroker(awsStorage(clients, storage.names)),
        counter: countCommands(dynamo.dynamodb),
      }
    }) as [{ broker: Broker; counter: CommandCounter }, { broker: Broker; counter: CommandCounter }]
    onTestFinished(() => {
      first.counter.remove()
      second.counter.remove()
    })
    const topic = await first.broker.topics.create({ name: 'stale-end' })
    const one = (broker: Broker, value: string) => produceOk(broker, topic, [record({ value })])

    expect((await one(first.broker, 'a'))[0]?.offset).toBe(0)
    expect((await one(second.broker, 'b'))[0]?.offset).toBe(1)
    // The first process remembers the end at 1 and tries it; the head says 2.
    const before = first.counter.calls.length
    expect((await one(first.broker, 'c'))[0]?.offset).toBe(2)
    expect(first.counter.calls.slice(before).map((c) => [c.commandName, c.error])).toEqual([
      ['TransactWriteItemsCommand', 'TransactionCanceledException'],
      ['BatchGetItemCommand', undefined],
      ['TransactWriteItemsCommand', undefined],
    ])
    const log = await readAll(first.broker, topic, 0)
    expect(log.map((r) => Buffer.from(r.value ?? []).toString())).toEqual(['a', 'b', 'c'])
  })
})
