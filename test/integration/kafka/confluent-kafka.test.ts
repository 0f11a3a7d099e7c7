import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { kafkaClientCommand } from '../../support/kafka-clients.ts'
import {
  createTopic,
  gatewayLosingAnAnswer,
  idempotentSessions,
  useKafkaHarness,
} from './support.ts'

const run = promisify(execFile)
const script = fileURLToPath(new URL('./fixtures/confluent_client.py', import.meta.url))

/**
 * confluent-kafka from PyPI (librdkafka 2.x, flexible protocol versions), in a
 * venv installed on first use when the machine's Python lacks it.
 */
async function confluent(...args: string[]): Promise<Record<string, unknown>[]> {
  const { stdout } = await run(kafkaClientCommand('confluentKafkaPython'), [script, ...args], {
    timeout: 90_000,
  })
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line))
}

describe('confluent-kafka through the Kafka gateway', () => {
  const harness = useKafkaHarness()

  it.each(['zstd', 'lz4'])(
    'produces %s batches REST reads, and a group consumer reads them back',
    async (codec) => {
      const { http, gateway } = harness()
      const topic = `confluent-${codec}`
      await createTopic(http, topic, 3)
      const reports = await confluent('produce', gateway.bootstrap, topic, codec, '60')
      expect(reports).toHaveLength(60)

      let restCount = 0
      for (const partition of [0, 1, 2]) {
        const response = await http.get(
          `/v3/clusters/local/topics/${topic}/partitions/${partition}/records?offset=0&max_records=100&key_type=STRING&value_type=STRING`,
        )
        for (const record of response.body.data) {
          const index = Number(record.key.data.slice('key-'.length))
          expect(record.value.data).toBe(`value ${index} from confluent-kafka`)
          expect(record.headers).toEqual([
            { name: 'index', value: Buffer.from(String(index)).toString('base64') },
          ])
          restCount++
        }
      }
      expect(restCount).toBe(60)
      expect(await idempotentSessions(http, topic, [0, 1, 2])).toEqual([
        { producerId: expect.any(Number), epoch: 0, records: 60 },
      ])

      const consumed = await confluent('consume', gateway.bootstrap, topic, `g-${codec}`, '60')
      expect(new Set(consumed.map((m) => m.value)).size).toBe(60)
      const lags = await http.get(`/v3/clusters/local/consumer-groups/g-${codec}/lag-summary`)
      expect(lags.body.total_lag).toBe(0)
    },
    120_000,
  )

  it('stores each record once when the answer to a produce is lost and librdkafka sends it again', async () => {
    const { http } = harness()
    await createTopic(http, 'confluent-lost-answer', 2)
    const lossy = await gatewayLosingAnAnswer(http)
    try {
      const reports = await confluent(
        'produce',
        lossy.proxy.bootstrap,
        'confluent-lost-answer',
        'none',
        '20',
      )
      expect(lossy.proxy.lost).toBe(true)
      expect(reports).toHaveLength(20)
      // Every delivery report names a distinct offset, and each record is stored once.
      expect(new Set(reports.map((r) => `${r.partition}/${r.offset}`)).size).toBe(20)
      expect(await idempotentSessions(http, 'confluent-lost-answer', [0, 1])).toEqual([
        { producerId: expect.any(Number), epoch: 0, records: 20 },
      ])
    } finally {
      await lossy.close()
    }
  })

  it('cannot initialize transactions: Sluice has no transactions', async () => {
    // librdkafka retries until init_transactions times out, then reports the broker's answer.
    const [outcome] = await confluent('init-transactions', harness().gateway.bootstrap, 'orders')
    expect(outcome).toMatchObject({ code: 'UNSUPPORTED_VERSION' })
  }, 60_000)

  it('consumes with the KIP-848 protocol (ConsumerGroupHeartbeat), committing offsets', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'confluent-kip848', 3)
    await confluent('produce', gateway.bootstrap, 'confluent-kip848', 'none', '30')
    const consumed = await confluent(
      'consume',
      gateway.bootstrap,
      'confluent-kip848',
      'g-kip848',
      '30',
      'consumer',
    )
    expect(new Set(consumed.map((m) => m.value)).size).toBe(30)
    const group = await http.get('/v3/clusters/local/consumer-groups/g-kip848/lag-summary')
    expect(group.body.total_lag).toBe(0)
  }, 120_000)
})
