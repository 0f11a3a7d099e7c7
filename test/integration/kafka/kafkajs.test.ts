import { randomBytes } from 'node:crypto'
import { CompressionTypes, Kafka, logLevel } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import {
  createTopic,
  gatewayLosingAnAnswer,
  idempotentSessions,
  useKafkaHarness,
} from './support.ts'

interface RestRecord {
  readonly offset: number
  readonly key: { data: string } | null
  readonly value: { data: string } | null
  readonly headers: { name: string; value: string | null }[]
}

const b64 = (bytes: Buffer | string | null) =>
  bytes === null ? null : Buffer.from(bytes).toString('base64')

describe('kafkajs through the Kafka gateway', () => {
  const harness = useKafkaHarness()
  const kafka = () =>
    new Kafka({
      brokers: [harness().gateway.bootstrap],
      clientId: 'sluice-test',
      logLevel: logLevel.NOTHING,
    })

  it('produces records that the REST API reads back byte for byte', async () => {
    const { http } = harness()
    await createTopic(http, 'kafkajs-produce', 3)
    const messages = Array.from({ length: 30 }, (_, i) => ({
      key: i % 5 === 0 ? null : `key-${i}`,
      value: randomBytes(1 + i * 7),
      headers: { index: String(i), raw: randomBytes(3) },
    }))
    const producer = kafka().producer({ allowAutoTopicCreation: false })
    await producer.connect()
    const plain = await producer.send({ topic: 'kafkajs-produce', messages: messages.slice(0, 15) })
    const gzipped = await producer.send({
      topic: 'kafkajs-produce',
      compression: CompressionTypes.GZIP,
      messages: messages.slice(15),
    })
    await producer.disconnect()
    expect([...plain, ...gzipped].every((r) => r.errorCode === 0)).toBe(true)

    const stored: RestRecord[][] = []
    for (const partition of [0, 1, 2]) {
      const response = await http.get(
        `/v3/clusters/local/topics/kafkajs-produce/partitions/${partition}/records?offset=0&max_records=100`,
      )
      stored.push(response.body.data)
    }
    const read = stored.flat()
    expect(read).toHaveLength(30)
    for (const message of messages) {
      const match = read.find((r) => r.value?.data === b64(message.value))
      expect(match, `value of ${message.headers.index}`).toBeDefined()
      expect(match?.key?.data ?? null).toBe(b64(message.key))
      expect(match?.headers).toEqual([
        { name: 'index', value: b64(message.headers.index) },
        { name: 'raw', value: b64(message.headers.raw) },
      ])
    }
    // Keys land where Kafka's default partitioner puts them, as REST produce would.
    const keyed = await http.send('POST', '/v3/clusters/local/topics/kafkajs-produce/records', {
      key: { type: 'STRING', data: 'key-1' },
      value: { type: 'STRING', data: 'same key over REST' },
    })
    const partitionOfKey1 = stored.findIndex((records) =>
      records.some((r) => r.key?.data === b64('key-1')),
    )
    expect(keyed.body.partition_id).toBe(partitionOfKey1)
  })

  it('produces idempotently: batches carry the producer id and sequences that run on', async () => {
    const { http } = harness()
    await createTopic(http, 'kafkajs-idempotent', 2)
    const producer = kafka().producer({ idempotent: true, allowAutoTopicCreation: false })
    await producer.connect()
    const sends = []
    for (let send = 0; send < 3; send++) {
      sends.push(
        await producer.send({
          topic: 'kafkajs-idempotent',
          acks: -1,
          compression: send === 1 ? CompressionTypes.GZIP : CompressionTypes.None,
          messages: Array.from({ length: 4 }, (_, i) => ({
            key: `key-${i}`,
            value: `send ${send} record ${i}`,
          })),
        }),
      )
    }
    await producer.disconnect()
    expect(sends.flat().every((r) => r.errorCode === 0)).toBe(true)

    // One producer session wrote both partitions, each batch's sequences following on.
    expect(await idempotentSessions(http, 'kafkajs-idempotent', [0, 1])).toEqual([
      { producerId: expect.any(Number), epoch: 0, records: 12 },
    ])
  })

  it('stores each record once when the answer to a produce is lost and kafkajs sends the batch again', async () => {
    const { http } = harness()
    await createTopic(http, 'kafkajs-lost-answer', 2)
    const lossy = await gatewayLosingAnAnswer(http)
    const producer = new Kafka({
      brokers: [lossy.proxy.bootstrap],
      clientId: 'sluice-test',
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 50 },
    }).producer({ idempotent: true, allowAutoTopicCreation: false })
    try {
      await producer.connect()
      const reports = await producer.send({
        topic: 'kafkajs-lost-answer',
        acks: -1,
        messages: Array.from({ length: 10 }, (_, i) => ({ key: `key-${i}`, value: `record ${i}` })),
      })
      expect(lossy.proxy.lost).toBe(true)
      // The resend was answered with the offsets of the first send: the start of each partition.
      expect(reports.map((r) => [r.errorCode, r.baseOffset])).toEqual(reports.map(() => [0, '0']))
      expect(await idempotentSessions(http, 'kafkajs-lost-answer', [0, 1])).toEqual([
        { producerId: expect.any(Number), epoch: 0, records: 10 },
      ])
    } finally {
      await producer.disconnect()
      await lossy.close()
    }
  })

  it('cannot start a transactional producer: Sluice has no transactions', async () => {
    const producer = kafka().producer({
      transactionalId: 'kafkajs-orders',
      maxInFlightRequests: 1,
      idempotent: true,
    })
    await producer.connect()
    try {
      await expect(producer.transaction()).rejects.toMatchObject({ type: 'UNSUPPORTED_VERSION' })
    } finally {
      await producer.disconnect()
    }
  })

  it('sees topics, partitions and offsets as the REST API does', async () => {
    const { http } = harness()
    await createTopic(http, 'kafkajs-admin', 2)
    for (let i = 0; i < 3; i++) {
      await http.send('POST', '/v3/clusters/local/topics/kafkajs-admin/records', {
        partition_id: 1,
        value: { type: 'STRING', data: `r${i}` },
      })
    }
    const admin = kafka().admin()
    await admin.connect()
    try {
      expect(await admin.listTopics()).toContain('kafkajs-admin')
      const metadata = await admin.fetchTopicMetadata({ topics: ['kafkajs-admin'] })
      expect(metadata.topics[0]?.partitions.map((p) => [p.partitionId, p.leader])).toEqual([
        [0, 1],
        [1, 1],
      ])
      const offsets = await admin.fetchTopicOffsets('kafkajs-admin')
      expect(offsets.map(({ partition, low, high }) => ({ partition, low, high }))).toEqual([
        { partition: 0, low: '0', high: '0' },
        { partition: 1, low: '0', high: '3' },
      ])
    } finally {
      await admin.disconnect()
    }
  })

  it('gets UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist', async () => {
    const producer = kafka().producer({ allowAutoTopicCreation: false, retry: { retries: 0 } })
    await producer.connect()
    try {
      await expect(
        producer.send({ topic: 'kafkajs-missing', messages: [{ value: 'x' }] }),
      ).rejects.toMatchObject({ cause: { type: 'UNKNOWN_TOPIC_OR_PARTITION' } })
    } finally {
      await producer.disconnect()
    }
  })
})
