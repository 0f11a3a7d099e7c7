import { type Consumer, Kafka, logLevel } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { createTopic, useKafkaHarness } from './support.ts'

/** Waits for `check` to hold, polling; bounded, so a broken group fails instead of hanging. */
async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 45_000,
) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

interface Member {
  readonly consumer: Consumer
  readonly values: string[]
  assigned: number[]
}

describe('kafkajs consumer groups through the Kafka gateway', () => {
  const harness = useKafkaHarness()

  async function startMember(groupId: string, topic: string): Promise<Member> {
    const kafka = new Kafka({
      brokers: [harness().gateway.bootstrap],
      clientId: 'group-test',
      logLevel: logLevel.NOTHING,
    })
    const consumer = kafka.consumer({
      groupId,
      heartbeatInterval: 500,
      sessionTimeout: 10_000,
      maxWaitTimeInMs: 300,
    })
    const member: Member = { consumer, values: [], assigned: [] }
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      member.assigned = [...(event.payload.memberAssignment[topic] ?? [])].sort()
    })
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ message }) => {
        member.values.push(message.value?.toString() ?? '')
      },
    })
    return member
  }

  const produce = async (topic: string, from: number, count: number) => {
    for (let i = from; i < from + count; i++) {
      const response = await harness().http.send(
        'POST',
        `/v3/clusters/local/topics/${topic}/records`,
        {
          partition_id: i % 4,
          value: { type: 'STRING', data: `m${i}` },
        },
      )
      if (response.status !== 200) throw new Error(response.text)
    }
  }

  it('shares partitions between members, moves them on join and leave, and commits offsets', async () => {
    const { http } = harness()
    await createTopic(http, 'grouped', 4)
    await produce('grouped', 0, 20)
    const first = await startMember('billing', 'grouped')
    let second: Member | undefined
    try {
      await eventually(() => first.values.length >= 20, 'the first member to read everything')
      expect(first.assigned).toEqual([0, 1, 2, 3])

      second = await startMember('billing', 'grouped')
      const joined = second
      await eventually(
        () => joined.assigned.length > 0 && first.assigned.length + joined.assigned.length === 4,
        'the partitions to be shared',
      )
      expect([...first.assigned, ...joined.assigned].sort()).toEqual([0, 1, 2, 3])

      await produce('grouped', 20, 20)
      await eventually(
        () => new Set([...first.values, ...joined.values]).size >= 40,
        'the two members to read the new records',
      )
      const seen = new Set([...first.values, ...joined.values])
      expect([...seen].sort()).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`).sort())

      await first.consumer.disconnect()
      await eventually(
        () => joined.assigned.length === 4,
        'the remaining member to take every partition',
      )
      await produce('grouped', 40, 8)
      await eventually(
        () => joined.values.filter((v) => Number(v.slice(1)) >= 40).length === 8,
        'the last records',
      )

      // The group's progress is visible over REST, from the offsets kafkajs committed.
      await eventually(async () => {
        const lags = await http.get('/v3/clusters/local/consumer-groups/billing/lag-summary')
        return lags.status === 200 && lags.body.total_lag === 0
      }, 'committed offsets to catch up')
    } finally {
      await first.consumer.disconnect()
      await second?.consumer.disconnect()
    }
  }, 120_000)

  it('sets, fetches and deletes a group with the admin client', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'committed', 4)
    const admin = new Kafka({ brokers: [gateway.bootstrap], logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    try {
      await admin.setOffsets({
        groupId: 'audit',
        topic: 'committed',
        partitions: [{ partition: 2, offset: '0' }],
      })
      const offsets = await admin.fetchOffsets({ groupId: 'audit', topics: ['committed'] })
      expect(offsets[0]?.partitions.sort((a, b) => a.partition - b.partition)).toEqual([
        { partition: 0, offset: '-1', metadata: null },
        { partition: 1, offset: '-1', metadata: null },
        { partition: 2, offset: '0', metadata: null },
        { partition: 3, offset: '-1', metadata: null },
      ])
      const { groups } = await admin.listGroups()
      expect(groups).toContainEqual({ groupId: 'audit', protocolType: 'consumer' })
      const described = await admin.describeGroups(['audit', 'never-seen'])
      expect(described.groups.map((g) => [g.groupId, g.state, g.members.length])).toEqual([
        ['audit', 'Empty', 0],
        ['never-seen', 'Dead', 0],
      ])
      await admin.deleteGroups(['audit'])
      expect((await http.get('/v3/clusters/local/consumer-groups/audit')).status).toBe(404)
    } finally {
      await admin.disconnect()
    }
  })
})
