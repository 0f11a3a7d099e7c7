import { beforeAll, expect, it } from 'vitest'
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

it('commits 200,000 records of one partition from one request, with their timestamp range', async () => {
  const topic = await ctx.broker.topics.create({ name: 'one-large-request' })
  const count = 200_000
  const base = Date.UTC(2026, 0, 1)
  // Far more than a call can take as arguments; the extremes sit in the middle.
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
