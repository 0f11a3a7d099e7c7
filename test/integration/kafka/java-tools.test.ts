import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTopic, idempotentSessions, useKafkaHarness } from './support.ts'

const run = promisify(execFile)
const pom = fileURLToPath(new URL('./fixtures/java-tools/pom.xml', import.meta.url))
const initTransactions = fileURLToPath(
  new URL('./fixtures/java-tools/InitTransactions.java', import.meta.url),
)

/** Kafka's own command line tools, from their jars on Maven Central (kafka-tools 4.1.1). */
const TOOLS = {
  topics: 'org.apache.kafka.tools.TopicCommand',
  consoleProducer: 'org.apache.kafka.tools.ConsoleProducer',
  consoleConsumer: 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  consumerGroups: 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
} as const

describe("Kafka's Java command line tools through the Kafka gateway", () => {
  const harness = useKafkaHarness()
  let classpath = ''
  let scratch = ''

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'sluice-java-tools-'))
    const output = join(scratch, 'classpath.txt')
    // Downloads the jars into the local Maven repository the first time.
    await run(
      'mvn',
      ['-q', '-B', '-f', pom, 'dependency:build-classpath', `-Dmdep.outputFile=${output}`],
      {
        timeout: 600_000,
      },
    )
    classpath = (await readFile(output, 'utf8')).trim()
  }, 600_000)

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  async function tool(
    name: keyof typeof TOOLS,
    args: readonly string[],
    input?: string,
  ): Promise<string> {
    const child = run(
      'java',
      ['-cp', classpath, TOOLS[name], '--bootstrap-server', harness().gateway.bootstrap, ...args],
      {
        timeout: 90_000,
      },
    )
    if (input !== undefined) child.child.stdin?.end(input)
    return (await child).stdout
  }

  it('kafka-topics creates and describes a topic that REST sees', async () => {
    const { http } = harness()
    expect(
      await tool('topics', ['--create', '--topic', 'java-topics', '--partitions', '3']),
    ).toContain('Created topic java-topics.')
    const described = await tool('topics', ['--describe', '--topic', 'java-topics'])
    expect(described).toContain('PartitionCount: 3')
    expect((await http.get('/v3/clusters/local/topics/java-topics')).body.partitions_count).toBe(3)
  })

  it('the console producer writes what REST reads; the console consumer reads what REST wrote', async () => {
    const { http } = harness()
    await createTopic(http, 'java-console')
    await tool(
      'consoleProducer',
      ['--topic', 'java-console', '--property', 'parse.key=true', '--property', 'key.separator=:'],
      'k1:from java\nk2:zwei ✓\n',
    )
    // Java producers are idempotent by default since Kafka 3.0.
    expect(await idempotentSessions(http, 'java-console', [0])).toEqual([
      { producerId: expect.any(Number), epoch: 0, records: 2 },
    ])
    await http.send('POST', '/v3/clusters/local/topics/java-console/records', {
      key: { type: 'STRING', data: 'k3' },
      value: { type: 'STRING', data: 'from REST' },
    })
    const rest = await http.get(
      '/v3/clusters/local/topics/java-console/partitions/0/records?offset=0&key_type=STRING&value_type=STRING',
    )
    expect(
      rest.body.data.map((r: { key: { data: string }; value: { data: string } }) => [
        r.key.data,
        r.value.data,
      ]),
    ).toEqual([
      ['k1', 'from java'],
      ['k2', 'zwei ✓'],
      ['k3', 'from REST'],
    ])
    const consumed = await tool('consoleConsumer', [
      '--topic',
      'java-console',
      '--from-beginning',
      '--max-messages',
      '3',
      '--group',
      'java-classic',
      '--property',
      'print.key=true',
    ])
    expect(consumed.trim().split('\n')).toEqual(['k1\tfrom java', 'k2\tzwei ✓', 'k3\tfrom REST'])

    const groups = await tool('consumerGroups', ['--describe', '--group', 'java-classic'])
    expect(groups).toMatch(/java-classic\s+java-console\s+0\s+3\s+3\s+0/)
  })

  it('a transactional producer fails initTransactions with UNSUPPORTED_VERSION', async () => {
    // Java runs the single source file against the kafka-clients jar of the tools.
    const { stdout } = await run(
      'java',
      ['-cp', classpath, initTransactions, harness().gateway.bootstrap, 'java-orders'],
      { timeout: 90_000 },
    )
    expect(stdout.trim()).toBe(
      'org.apache.kafka.common.KafkaException: Unexpected error in InitProducerIdResponse; The version of API is not supported.',
    )
  })

  it('the console consumer reads with the KIP-848 protocol too', async () => {
    const { http } = harness()
    await createTopic(http, 'java-kip848', 2)
    for (const [i, partition] of [0, 1, 0].entries()) {
      await http.send('POST', '/v3/clusters/local/topics/java-kip848/records', {
        partition_id: partition,
        value: { type: 'STRING', data: `r${i}` },
      })
    }
    const consumed = await tool('consoleConsumer', [
      '--topic',
      'java-kip848',
      '--from-beginning',
      '--max-messages',
      '3',
      '--group',
      'java-kip848',
      '--consumer-property',
      'group.protocol=consumer',
    ])
    expect(consumed.trim().split('\n').sort()).toEqual(['r0', 'r1', 'r2'])
  })
})
