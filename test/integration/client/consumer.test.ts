import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Consumer, EachMessagePayload } from '../../../lib/client/consumer.ts'
import { ClientStateError, InvalidArgumentError } from '../../../lib/client/errors.ts'
import { Sluice } from '../../../lib/client/sluice.ts'
import { type ServedApp, serveApp, shortSessions, uniqueName } from './support.ts'

let served: ServedApp
let sluice: Sluice

beforeAll(async () => {
  served = await serveApp({ groups: shortSessions(2000) })
  sluice = new Sluice({ url: served.url, retry: { initialRetryTimeMs: 10, maxRetryTimeMs: 50 } })
})

afterAll(async () => {
  await served?.close()
})

/** A one-partition topic holding `count` records with values `0`, `1`, ... */
async function filledTopic(count: number): Promise<string> {
  const topic = uniqueName('consumer')
  await sluice.admin().createTopics({ topics: [{ topic, numPartitions: 1 }] })
  const producer = sluice.producer()
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, i) => ({ value: String(i) })),
  })
  await producer.disconnect()
  return topic
}

function consumerOf(group: string): Consumer {
  return sluice.consumer({ groupId: group, maxWaitTimeMs: 100, heartbeatIntervalMs: 200 })
}

/** The group's committed offset in the topic's one partition; null when it has none. */
async function committed(group: string): Promise<number | null> {
  const lags = await sluice.admin().fetchGroupLags(group)
  return lags[0]?.currentOffset ?? null
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

it('gives a failed record to the handler again, skipping nothing, and commits after processing', async () => {
  const topic = await filledTopic(10)
  const group = uniqueName('group')
  const consumer = consumerOf(group)
  const seen: string[] = []
  let failed = false
  consumer.subscribe({ topics: [topic], fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ message }: EachMessagePayload) => {
      const value = message.value?.toString() ?? ''
      if (value === '4' && !failed) {
        failed = true
        throw new Error('the handler failed once')
      }
      seen.push(value)
    },
  })
  await until(() => seen.length >= 10)
  await consumer.disconnect()
  expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
  expect(await committed(group)).toBe(10)
})

it('commits only what was processed when stopped, and gives the rest to the next member', async () => {
  const topic = await filledTopic(20)
  const group = uniqueName('group')
  const first = consumerOf(group)
  const seen: string[] = []
  first.subscribe({ topics: [topic], fromBeginning: true })
  await first.run({
    eachMessage: async ({ message }) => {
      seen.push(message.value?.toString() ?? '')
      // Not awaited: stop waits for this handler to return.
      if (seen.length === 5) void first.stop()
    },
  })
  await until(() => seen.length >= 5)
  await first.disconnect()
  expect(seen).toEqual(['0', '1', '2', '3', '4'])
  expect(await committed(group)).toBe(5)

  const second = consumerOf(group)
  const rest: string[] = []
  second.subscribe({ topics: [topic], fromBeginning: true })
  await second.run({
    eachBatch: async ({ batch }) => {
      rest.push(...batch.messages.map((m) => m.value?.toString() ?? ''))
    },
  })
  await until(() => rest.length >= 15)
  await second.disconnect()
  expect(rest).toEqual(Array.from({ length: 15 }, (_, i) => String(i + 5)))
  expect(await committed(group)).toBe(20)
})

it('with autoCommit off commits only what commitOffsets is given', async () => {
  const topic = await filledTopic(6)
  const group = uniqueName('group')
  const consumer = consumerOf(group)
  let count = 0
  consumer.subscribe({ topics: [topic], fromBeginning: true })
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic: from, partition, message }) => {
      count++
      if (message.offset === 2) {
        await consumer.commitOffsets([{ topic: from, partition, offset: message.offset + 1 }])
      }
    },
  })
  await until(() => count >= 6)
  await expect(consumer.commitOffsets([{ topic, partition: 0, offset: 0 }])).rejects.toThrow(
    InvalidArgumentError,
  )
  await consumer.disconnect()
  expect(await committed(group)).toBe(3)
})

it('keeps its partitions through a handler that runs longer than the session timeout', async () => {
  const topic = await filledTopic(1)
  const group = uniqueName('group')
  const consumer = consumerOf(group)
  let done = false
  consumer.subscribe({ topics: [topic], fromBeginning: true })
  await consumer.run({
    eachMessage: async () => {
      // The session is 2 s: only the heartbeats sent meanwhile keep the member in the group.
      await new Promise((resolve) => setTimeout(resolve, 3000))
      done = true
    },
  })
  await until(() => done)
  await consumer.stop()
  expect(await committed(group)).toBe(1)
  await consumer.disconnect()
})

it('refuses to run without a subscription, or twice', async () => {
  const consumer = consumerOf(uniqueName('group'))
  const eachMessage = async () => {}
  await expect(consumer.run({ eachMessage })).rejects.toThrow(ClientStateError)
  consumer.subscribe({ topics: [await filledTopic(1)] })
  await consumer.run({ eachMessage })
  await expect(consumer.run({ eachMessage })).rejects.toThrow('The consumer is running already.')
  expect(() => consumer.subscribe({ topics: ['other'] })).toThrow(ClientStateError)
  await consumer.disconnect()
})

it('reports a crash when the handler keeps failing, and leaves the group', async () => {
  const topic = await filledTopic(1)
  const group = uniqueName('group')
  const consumer = sluice.consumer({
    groupId: group,
    maxWaitTimeMs: 100,
    retry: { retries: 2, initialRetryTimeMs: 10, maxRetryTimeMs: 20 },
  })
  let attempts = 0
  const crashed = new Promise<Error>((resolve) => consumer.on('crash', resolve))
  consumer.subscribe({ topics: [topic], fromBeginning: true })
  await consumer.run({
    eachMessage: async () => {
      attempts++
      throw new Error('always fails')
    },
  })
  expect((await crashed).message).toBe('always fails')
  expect(attempts).toBe(3)
  const description = await sluice.admin().describeGroup(group)
  expect(description.members).toEqual([])
  expect(await committed(group)).toBeNull()
})
