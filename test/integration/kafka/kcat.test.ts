import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { kafkaClientCommand } from '../../support/kafka-clients.ts'
import { createTopic, idempotentSessions, useKafkaHarness } from './support.ts'

const run = promisify(execFile)

/**
 * kcat, a librdkafka client (Debian's package, unpacked on first use when the
 * machine lacks it; see test/support/kcat.ts). Its
 * producer is made idempotent, as librdkafka's is not by default.
 */
async function kcat(args: readonly string[], input?: string): Promise<string> {
  const child = run(kafkaClientCommand('kcat'), [...args, '-X', 'enable.idempotence=true'], {
    timeout: 30_000,
  })
  if (input !== undefined) child.child.stdin?.end(input)
  const { stdout } = await child
  return stdout
}

interface KcatMessage {
  readonly partition: number
  readonly offset: number
  readonly key: string | null
  readonly payload: string | null
}

describe('kcat through the Kafka gateway', () => {
  const harness = useKafkaHarness()

  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'])(
    'produces %s batches that REST reads back',
    async (codec) => {
      const { http, gateway } = harness()
      const topic = `kcat-${codec}`
      await createTopic(http, topic)
      const lines = Array.from({ length: 50 }, (_, i) => `key-${i}:value ${i} ünïcödé ${codec}`)
      await kcat(
        ['-P', '-b', gateway.bootstrap, '-t', topic, '-K:', '-z', codec],
        `${lines.join('\n')}\n`,
      )
      const response = await http.get(
        `/v3/clusters/local/topics/${topic}/partitions/0/records?offset=0&max_records=100&key_type=STRING&value_type=STRING`,
      )
      expect(
        response.body.data.map(
          (r: { key: { data: string }; value: { data: string } }) =>
            `${r.key.data}:${r.value.data}`,
        ),
      ).toEqual(lines)
      expect(await idempotentSessions(http, topic, [0])).toEqual([
        { producerId: expect.any(Number), epoch: 0, records: 50 },
      ])
    },
  )

  it('consumes what REST produced, byte for byte, and lists the gateway as the only broker', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'kcat-consume', 2)
    const values = Array.from({ length: 20 }, (_, i) => `record ${i} — ✓`)
    for (const [i, value] of values.entries()) {
      await http.send('POST', '/v3/clusters/local/topics/kcat-consume/records', {
        partition_id: i % 2,
        key: { type: 'STRING', data: `k${i}` },
        value: { type: 'STRING', data: value },
      })
    }
    const output = await kcat([
      '-C',
      '-b',
      gateway.bootstrap,
      '-t',
      'kcat-consume',
      '-o',
      'beginning',
      '-e',
      '-J',
    ])
    const messages: KcatMessage[] = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    const byKey = new Map(messages.map((m) => [m.key, m]))
    values.forEach((value, i) => {
      expect(byKey.get(`k${i}`)).toMatchObject({
        partition: i % 2,
        offset: Math.floor(i / 2),
        payload: value,
      })
    })

    const listing = await kcat(['-L', '-b', gateway.bootstrap, '-t', 'kcat-consume'])
    expect(listing).toContain(`broker 1 at ${gateway.bootstrap}`)
    expect(listing).toContain('topic "kcat-consume" with 2 partitions')
  })
})
