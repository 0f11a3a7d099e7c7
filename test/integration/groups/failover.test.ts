import { setTimeout as sleep } from 'node:timers/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  C,
  createTopic,
  expectError,
  type Harness,
  type Json,
  uniqueTopic,
} from '../http/support.ts'
import {
  Consumer,
  createGroupsHarness,
  expectExclusiveOwnership,
  groupState,
  heartbeatInterval,
  produceJson,
  testGroupOptions,
  uniqueGroup,
} from './support.ts'

const SESSION_MS = 1000
const RECORDS_PER_PARTITION = 20
/** A few records per call, so a consumer can die half-way through a partition. */
const SMALL_READS = 'timeout=0&max_bytes=40'

let h: Harness

beforeAll(async () => {
  h = await createGroupsHarness(testGroupOptions(SESSION_MS))
})

type Processed = { partition: number; offset: number; value: Json }

describe('a member that dies without leaving', () => {
  it('loses its partitions after the session timeout; another member resumes from its last commit', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    for (const partition of [0, 1]) {
      await produceJson(
        h,
        topic,
        partition,
        Array.from({ length: RECORDS_PER_PARTITION }, (_, n) => ({ partition, n })),
      )
    }
    const group = uniqueGroup()
    const config = {
      format: 'json',
      'auto.offset.reset': 'earliest',
      'auto.commit.enable': 'false',
    }
    const a = await Consumer.create(h, group, config)
    const b = await Consumer.create(h, group, config)
    await a.subscribe([topic])
    await b.subscribe([topic])
    const processed: Processed[] = []
    const process = (records: Json[]) => {
      for (const r of records)
        processed.push({ partition: r.partition, offset: r.offset, value: r.value })
    }
    while ((await groupState(h, group)) !== 'STABLE') {
      process(await a.poll(SMALL_READS))
      process(await b.poll(SMALL_READS))
    }
    const [aPartition] = await a.assignment()
    expect(aPartition).toBeDefined()

    // A processes a first batch and commits it, then a second batch it never commits: it dies.
    const first = await a.poll(SMALL_READS)
    expect(first.length).toBeGreaterThan(0)
    process(first)
    const last = first.at(-1)
    expect(
      (await a.commit([{ topic, partition: last.partition, offset: last.offset }])).status,
    ).toBe(200)
    const lastCommitted = last.offset + 1
    const second = await a.poll(SMALL_READS)
    const aLastCall = Date.now()
    expect(second.length).toBeGreaterThan(0)
    process(second)
    let takenOverAfter: number | undefined

    // B keeps polling and committing everything it read; A's session runs out meanwhile.
    const deadline = Date.now() + 10 * SESSION_MS
    for (;;) {
      const records = await b.poll(SMALL_READS)
      process(records)
      expect((await b.commit()).status).toBe(200)
      const views = await expectExclusiveOwnership(h, group, [b])
      if (takenOverAfter === undefined && views.get(b.name)?.includes(aPartition as string)) {
        takenOverAfter = Date.now() - aLastCall
      }
      const done = (partition: number) =>
        processed.some((r) => r.partition === partition && r.offset === RECORDS_PER_PARTITION - 1)
      if (done(0) && done(1) && records.length === 0) break
      if (Date.now() > deadline) throw new Error('B never finished both partitions')
      if (records.length === 0) await sleep(SESSION_MS / 5)
    }
    expect(await b.assignment()).toEqual([`${topic}/0`, `${topic}/1`])
    // Liveness is recorded once per heartbeat interval, as Kafka's heartbeats are: the session
    // runs from the last recorded call, which is at most one interval before the last call.
    expect(takenOverAfter).toBeGreaterThanOrEqual(SESSION_MS - heartbeatInterval(SESSION_MS))

    // At least once, nothing skipped: every offset of both partitions was processed.
    for (const partition of [0, 1]) {
      const seen = new Set(processed.filter((r) => r.partition === partition).map((r) => r.offset))
      expect([...seen].sort((x, y) => x - y)).toEqual(
        Array.from({ length: RECORDS_PER_PARTITION }, (_, n) => n),
      )
    }
    // Only what A read but never committed came twice, and B took over exactly at A's commit.
    const aPartitionId = Number(aPartition?.split('/')[1])
    const twice = processed
      .filter((r) => r.partition === aPartitionId)
      .map((r) => r.offset)
      .filter((offset, i, all) => all.indexOf(offset) !== i)
    expect(twice.sort((x, y) => x - y)).toEqual(second.map((r: Json) => r.offset))
    expect(Math.min(...twice)).toBe(lastCommitted)
    for (const r of processed) expect(r.value).toEqual({ partition: r.partition, n: r.offset })

    // The zombie wakes up and commits: refused, and the group's offset does not move.
    const before = await b.committed()
    const zombie = await a.commit([{ topic, partition: aPartitionId, offset: 3 }])
    expectError(zombie, 409, 40903, /^UNKNOWN_MEMBER_ID: /)
    expect(await b.committed()).toEqual(before)
    const lags = await h.get(`${C}/consumer-groups/${group}/lags`)
    expect(lags.body.data.map((l: Json) => [l.partition_id, l.current_offset, l.lag])).toEqual([
      [0, RECORDS_PER_PARTITION, 0],
      [1, RECORDS_PER_PARTITION, 0],
    ])
  })
})
