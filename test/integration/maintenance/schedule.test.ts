import { setTimeout as sleep } from 'node:timers/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Broker, createBroker } from '../../../lib/broker/broker.ts'
import type { LogLine } from '../../../lib/maintenance/options.ts'
import { runEvery, scheduledHandler } from '../../../lib/maintenance/schedule.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'
import { indexEntries, produceOk, range, record } from '../broker/helpers.ts'
import { maintenanceOn } from './support.ts'

let storage: TestStorage
let broker: Broker

beforeAll(async () => {
  storage = await createTestStorage()
  broker = createBroker(awsStorage(storage.clients, storage.names))
})

async function topicWithEntries(name: string, entries: number) {
  const topic = await broker.topics.create({ name })
  for (const i of range(entries)) await produceOk(broker, topic, [record({ value: `v${i}` })])
  return topic
}

describe('the scheduled handler', () => {
  it('runs its tasks within the invocation’s remaining time and logs what it did', async () => {
    const topic = await topicWithEntries('scheduled', 4)
    const { maintenance, logs } = maintenanceOn(storage)
    const handler = scheduledHandler(maintenance, ['merge', 'compact'])
    const report = await handler({}, { getRemainingTimeInMillis: () => 60_000 })
    expect(report.tasks).toEqual(['merge', 'compact'])
    expect(report.complete).toBe(true)
    expect(await indexEntries(broker, topic, 0)).toHaveLength(1)
    const partitionLine = logs.find((line) => line.message === 'Maintained partition')
    expect(partitionLine).toMatchObject({ level: 'info', topic: 'scheduled', outcome: 'done' })
    expect(logs.at(-1)).toMatchObject({ message: 'Maintenance run finished', complete: true })
  })

  it('logs nothing for a run that found nothing to do', async () => {
    await topicWithEntries('scheduled-idle', 4)
    const { maintenance, logs } = maintenanceOn(storage)
    const handler = scheduledHandler(maintenance, ['merge', 'gc'])
    await handler({}, { getRemainingTimeInMillis: () => 60_000 })
    expect(logs.map((line) => line.message)).toContain('Maintenance run finished')
    logs.length = 0
    const idle = await handler({}, { getRemainingTimeInMillis: () => 60_000 })
    expect(idle).toMatchObject({ complete: true, partitions: [] })
    expect(logs).toEqual([])
  })

  it('starts nothing when the invocation has no time left', async () => {
    const topic = await topicWithEntries('scheduled-late', 3)
    const { maintenance } = maintenanceOn(storage)
    const report = await scheduledHandler(maintenance, ['merge'])(
      {},
      {
        getRemainingTimeInMillis: () => 0,
      },
    )
    expect(report.complete).toBe(false)
    expect(report.partitions).toEqual([])
    expect(await indexEntries(broker, topic, 0)).toHaveLength(3)
  })
})

describe('the dev server’s interval', () => {
  it('runs maintenance again and again, and stop() waits for the run under way', async () => {
    const topic = await topicWithEntries('interval', 3)
    const { maintenance } = maintenanceOn(storage)
    const errors: LogLine[] = []
    const entriesAre = async (count: number) => {
      for (let i = 0; i < 200 && (await indexEntries(broker, topic, 0)).length !== count; i++) {
        await sleep(20)
      }
      return (await indexEntries(broker, topic, 0)).length
    }
    const interval = runEvery(maintenance, 20, (line) => errors.push(line))
    expect(await entriesAre(1)).toBe(1)
    // Two more small entries: a later run folds them into one beside the first segment.
    await produceOk(broker, topic, [record({ value: 'a' })])
    await produceOk(broker, topic, [record({ value: 'b' })])
    expect(await entriesAre(2)).toBe(2)
    await interval.stop()

    await produceOk(broker, topic, [record({ value: 'c' })])
    await produceOk(broker, topic, [record({ value: 'd' })])
    await sleep(100)
    expect(await indexEntries(broker, topic, 0)).toHaveLength(4)
    expect(errors).toEqual([])
  })
})
