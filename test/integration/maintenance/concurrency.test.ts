import { beforeAll, describe, expect, it } from 'vitest'
import { type Broker, createBroker } from '../../../lib/broker/broker.ts'
import type { ProduceRecord } from '../../../lib/broker/produce-record.ts'
import { OffsetOutOfRangeError } from '../../../lib/errors.ts'
import type { MaintenanceReport } from '../../../lib/maintenance/report.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import type { TopicItem } from '../../../lib/storage/ports/topics.ts'
import { gateCommand, loseResponse } from '../../support/faults.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'
import { indexEntries, produceOk, range, utf8 } from '../broker/helpers.ts'
import {
  brokerOn,
  dieAt,
  expectReferencedObjectsExist,
  HOUR,
  maintenanceOn,
  objectKeys,
  partitionReport,
  readLog,
  run,
} from './support.ts'

let storage: TestStorage
let broker: Broker

beforeAll(async () => {
  storage = await createTestStorage()
  broker = createBroker(awsStorage(storage.clients, storage.names))
})

const LEASE_MS = 60_000

function keyed(key: string, value: string): ProduceRecord {
  return {
    key: { format: 'STRING', bytes: utf8(key) },
    value: { format: 'STRING', bytes: utf8(value) },
    headers: [],
  }
}

/** A topic of 24 single-record entries that merge four to a segment. */
async function smallEntries(name: string) {
  const topic = await broker.topics.create({ name })
  for (const i of range(24)) await produceOk(broker, topic, [keyed(`k${i % 5}`, `v${i}`)])
  const [first] = await indexEntries(broker, topic, 0)
  return {
    topic,
    before: await readLog(broker, topic),
    targetSegmentBytes: Math.floor((first?.byteLength ?? 0) * 4.5),
  }
}

describe('two compactors on one partition', () => {
  it('never both rewrite: the second waits out the lease, a stale one is fenced off', async () => {
    const { topic, before, targetSegmentBytes } = await smallEntries('two-compactors')
    const first = maintenanceOn(storage, { targetSegmentBytes, leaseMs: LEASE_MS })
    // The first holds the lease and has written its first segment, but not committed it.
    const gate = gateCommand(first.clients.dynamodb, 'TransactWriteItemsCommand')
    const firstRun = run(first.maintenance, ['merge'], [topic.name])
    await gate.arrived(1)

    const rival = maintenanceOn(storage, { targetSegmentBytes, leaseMs: LEASE_MS })
    const busy = await run(rival.maintenance, ['merge'], [topic.name])
    expect(partitionReport(busy, topic.name)).toMatchObject({ outcome: 'busy', tasks: {} })

    // Past the lease's term (the first run looks dead), a third run takes over and does the work.
    const takeover = maintenanceOn(storage, {
      targetSegmentBytes,
      leaseMs: LEASE_MS,
      aheadMs: 2 * LEASE_MS,
    })
    const done = await run(takeover.maintenance, ['merge'], [topic.name])
    expect(partitionReport(done, topic.name).tasks.merge?.segmentsWritten).toBe(6)

    // The first run wakes up: its commit is fenced by the lease it lost, and it writes nothing more.
    gate.open()
    const stale = await firstRun
    expect(partitionReport(stale, topic.name).outcome).toBe('lease-lost')
    expect(stale.totals.segmentsWritten).toBe(0)

    expect(await readLog(broker, topic)).toEqual(before)
    expect(await indexEntries(broker, topic, 0)).toHaveLength(6)
    await expectReferencedObjectsExist(storage, broker, topic)
    // 24 ingest objects, 6 segments, and the stale run's uncommitted segment.
    expect(await objectKeys(storage, topic)).toHaveLength(31)

    const gc = await run(
      maintenanceOn(storage, { aheadMs: 2 * HOUR }).maintenance,
      ['gc'],
      [topic.name],
    )
    expect(gc.gc).toMatchObject({ objectsDeleted: 25, objectsAfter: 6 })
    await expectReferencedObjectsExist(storage, broker, topic)
    expect(await readLog(broker, topic)).toEqual(before)
  })

  it('refuses a rewrite of entries that were replaced since they were read, even under a valid lease', async () => {
    const { topic, before, targetSegmentBytes } = await smallEntries('stale-rewrite')
    const stale = maintenanceOn(storage, { targetSegmentBytes })
    // This run reads the index, then another merges it before the first can commit.
    const gate = gateCommand(stale.clients.s3, 'PutObjectCommand')
    const staleRun = run(stale.maintenance, ['merge'], [topic.name])
    await gate.arrived(1)
    const other = maintenanceOn(storage, { targetSegmentBytes, aheadMs: 2 * 60_000 })
    await run(other.maintenance, ['merge'], [topic.name])
    gate.open()
    const report = await staleRun
    // Its lease was taken over, so the fence trips first; either way nothing was applied twice.
    expect(['lease-lost', 'conflict']).toContain(partitionReport(report, topic.name).outcome)
    expect(await readLog(broker, topic)).toEqual(before)
    expect(await indexEntries(broker, topic, 0)).toHaveLength(6)
  })
})

describe('a lease whose grant was lost on the way back', () => {
  it('is recognised as taken by the run the SDK retried for, not as busy', async () => {
    const { topic, before, targetSegmentBytes } = await smallEntries('lost-lease-grant')
    const { maintenance, clients } = maintenanceOn(storage, { targetSegmentBytes })
    // The first UpdateItem of a run is the lease acquisition.
    const lost = loseResponse(clients.dynamodb, 'UpdateItemCommand', { times: 1 })
    const report = await run(maintenance, ['merge'], [topic.name])
    lost.remove()
    expect(lost.hits).toBe(1)
    expect(partitionReport(report, topic.name).outcome).toBe('done')
    expect((await indexEntries(broker, topic, 0)).length).toBeLessThan(24)
    expect(await readLog(broker, topic)).toEqual(before)
  })
})

describe('a compactor killed mid-run', () => {
  it('leaves the log reading the same, and a retry after its lease expires finishes the work', async () => {
    const { topic, before, targetSegmentBytes } = await smallEntries('killed-compactor')
    const killed = maintenanceOn(storage, { targetSegmentBytes, leaseMs: LEASE_MS })
    // Two segments commit; the process dies as it sends the third commit.
    dieAt(killed.clients.dynamodb, 'TransactWriteItemsCommand', 3)
    const died = await run(killed.maintenance, ['merge'], [topic.name])
    expect(partitionReport(died, topic.name).outcome).toBe('failed')
    expect(await indexEntries(broker, topic, 0)).toHaveLength(2 + 16)
    expect(await readLog(broker, topic)).toEqual(before)

    const early = maintenanceOn(storage, { targetSegmentBytes, leaseMs: LEASE_MS })
    expect(
      partitionReport(await run(early.maintenance, ['merge'], [topic.name]), topic.name).outcome,
    ).toBe('busy')

    const retry = maintenanceOn(storage, {
      targetSegmentBytes,
      leaseMs: LEASE_MS,
      aheadMs: 2 * LEASE_MS,
    })
    const finished = await run(retry.maintenance, ['merge'], [topic.name])
    expect(partitionReport(finished, topic.name)).toMatchObject({ outcome: 'done' })
    expect(await indexEntries(broker, topic, 0)).toHaveLength(6)
    expect(await readLog(broker, topic)).toEqual(before)

    const gc = await run(
      maintenanceOn(storage, { aheadMs: 2 * HOUR }).maintenance,
      ['gc'],
      [topic.name],
    )
    // 24 ingest objects replaced, and the third segment the dead run wrote but never committed.
    expect(gc.gc).toMatchObject({ objectsDeleted: 25, objectsAfter: 6 })
    await expectReferencedObjectsExist(storage, broker, topic)
    expect(await readLog(broker, topic)).toEqual(before)
  })
})

describe('producers and readers while compaction and retention run', () => {
  interface Seen {
    readonly offset: number
    readonly key: string
    readonly value: string
  }

  const text = (bytes: Uint8Array | null) => Buffer.from(bytes ?? []).toString()

  it('lose no acknowledged record, and no reader reads an offset twice or skips one it may not', async () => {
    const topic: TopicItem = await broker.topics.create({
      name: 'busy-log',
      configs: {
        'cleanup.policy': 'compact,delete',
        'min.cleanable.dirty.ratio': '0.01',
        'retention.bytes': '400',
      },
    })
    const acked = new Map<number, Seen>()
    let producing = true

    const producer = async (id: number) => {
      const actor = brokerOn(storage)
      for (const i of range(25)) {
        const records = range(1 + ((i + id) % 3)).map((j) =>
          keyed(`k${(i * 3 + j + id) % 8}`, `p${id}-${i}-${j}`),
        )
        const outcomes = await produceOk(actor.broker, topic, records)
        outcomes.forEach((outcome, j) => {
          const record = records[j] as ProduceRecord
          acked.set(outcome.offset, {
            offset: outcome.offset,
            key: text(record.key?.bytes ?? null),
            value: text(record.value?.bytes ?? null),
          })
        })
      }
    }

    const maintainer = async () => {
      const { maintenance } = maintenanceOn(storage, { targetSegmentBytes: 1500 })
      const reports: MaintenanceReport[] = []
      while (producing) {
        reports.push(await run(maintenance, ['retention', 'compact', 'merge'], [topic.name]))
      }
      reports.push(await run(maintenance, ['retention', 'compact', 'merge'], [topic.name]))
      return reports
    }

    const reader = async () => {
      const actor = brokerOn(storage, { reader: { fetchConcurrency: 2 } })
      const seen: Seen[] = []
      const jumps: [number, number][] = []
      let offset = 0
      for (;;) {
        try {
          const page = await actor.broker.reader.read(topic, 0, {
            start: { kind: 'offset', offset },
            maxRecords: 7,
            maxBytes: 1 << 20,
            timeoutMs: 0,
          })
          for (const record of page.records) {
            seen.push({ offset: record.offset, key: text(record.key), value: text(record.value) })
          }
          offset = page.nextOffset
          if (!producing && page.records.length === 0 && offset >= page.logEndOffset) break
        } catch (error) {
          if (!(error instanceof OffsetOutOfRangeError)) throw error
          // What a consumer with auto.offset.reset=earliest does.
          jumps.push([offset, error.logStartOffset])
          offset = error.logStartOffset
        }
      }
      return { seen, jumps }
    }

    const maintaining = maintainer()
    const reading = [reader(), reader()]
    await Promise.all([producer(0), producer(1)])
    producing = false
    const reports = await maintaining
    const readers = await Promise.all(reading)

    const { logStartOffset, logEndOffset } = await broker.topics.offsets(topic, 0)
    expect(logEndOffset).toBe(acked.size)
    const latestOffsetOf = new Map<string, number>()
    for (const record of [...acked.values()].sort((a, b) => a.offset - b.offset)) {
      latestOffsetOf.set(record.key, record.offset)
    }
    const superseded = (offset: number) => {
      const record = acked.get(offset) as Seen
      return (latestOffsetOf.get(record.key) ?? offset) > offset
    }

    // Every acknowledged record still in the log reads back as written, unless a newer one replaced it.
    const final = await readLog(broker, topic)
    const finalByOffset = new Map(final.map((r) => [r.offset, r]))
    for (let offset = logStartOffset; offset < logEndOffset; offset++) {
      const record = acked.get(offset) as Seen
      const read = finalByOffset.get(offset)
      if (read) expect(Buffer.from(read.value ?? '', 'hex').toString()).toBe(record.value)
      else expect(superseded(offset), `offset ${offset} is missing`).toBe(true)
    }

    for (const { seen, jumps } of readers) {
      // Never an offset twice, never one out of order, never one that was not written so.
      for (let i = 1; i < seen.length; i++) {
        expect((seen[i] as Seen).offset).toBeGreaterThan((seen[i - 1] as Seen).offset)
      }
      for (const record of seen) expect(record).toEqual(acked.get(record.offset))
      // An offset passed over was compacted away, or dropped by retention before the reader got there.
      const read = new Set(seen.map((r) => r.offset))
      const last = seen.at(-1)?.offset ?? -1
      for (let offset = 0; offset <= last; offset++) {
        if (read.has(offset)) continue
        const retained = jumps.some(([from, to]) => offset >= from && offset < to)
        expect(retained || superseded(offset), `reader skipped offset ${offset}`).toBe(true)
      }
    }

    // The run exercised what it claims to: records were compacted away, every run finished.
    const dropped = reports.reduce((sum, r) => sum + r.totals.recordsDropped, 0)
    expect(dropped).toBeGreaterThan(0)
    expect(reports.every((r) => r.partitions.every((p) => p.outcome === 'done'))).toBe(true)
    // Whether retention found whole segments to drop while the others ran depends on how
    // the machine scheduled them; once the log outgrows retention.bytes, it must.
    for (const i of range(10)) await produceOk(broker, topic, [keyed(`late-${i}`, 'x'.repeat(60))])
    await run(maintenanceOn(storage).maintenance, ['retention'], [topic.name])
    expect((await broker.topics.offsets(topic, 0)).logStartOffset).toBeGreaterThan(logStartOffset)
  })
})
