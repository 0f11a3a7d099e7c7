import { performance } from 'node:perf_hooks'
import type { Hono } from 'hono'
import { createApp } from '../../lib/http/app.ts'
import type { BenchMode } from './cells.ts'
import type { CellContext } from './context.ts'
import type { OperationCount } from './request-counter.ts'
import { type LatencySummary, perSecond, summarizeLatencies } from './stats.ts'
import { planRequests } from './workload.ts'

/** One group reading a whole pre-filled topic through the v2 consumer API. */
export interface ConsumerResult {
  readonly id: string
  readonly consumers: number
  readonly partitions: number
  readonly records: number
  readonly valueBytes: number
  /** `GET .../records` calls, empty ones included (each is also the member's heartbeat). */
  readonly recordsCalls: number
  readonly elapsedMs: number
  readonly recordsPerSecond: number
  readonly mibPerSecond: number
  readonly latency: LatencySummary
  /** DynamoDB requests (SDK retries included) per records call, and per operation. */
  readonly dynamodbRequestsPerCall: number
  readonly requestsPerCall: Readonly<Record<string, number>>
  readonly counts: readonly OperationCount[]
}

const CLUSTER_ID = 'bench'
const PARTITIONS = 4
const PRODUCE_BATCH = 500
const RECORDS: Record<BenchMode, number> = { full: 20_000, quick: 2_000 }
/** The largest page a records call returns (500 records, as Kafka's max.poll.records). */
const READ_QUERY = `timeout=0&max_bytes=${4 * 1024 * 1024}`
const MIB = 1024 ** 2

/** The v2 consumer calls the bench makes, in process, as an HTTP client would. */
class ConsumerClient {
  constructor(
    private readonly app: Hono,
    readonly group: string,
    readonly name: string,
  ) {}

  private get path(): string {
    return `/consumers/${this.group}/instances/${this.name}`
  }

  private async call(path: string, init: RequestInit, expected: number): Promise<string> {
    const response = await this.app.request(path, init)
    const text = await response.text()
    if (response.status !== expected) {
      throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${text}`)
    }
    return text
  }

  private post(path: string, body: unknown, expected: number): Promise<string> {
    return this.call(
      path,
      {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.kafka.v2+json' },
        body: JSON.stringify(body),
      },
      expected,
    )
  }

  async create(topic: string): Promise<void> {
    await this.post(
      `/consumers/${this.group}`,
      { name: this.name, format: 'binary', 'auto.offset.reset': 'earliest' },
      200,
    )
    await this.post(`${this.path}/subscription`, { topics: [topic] }, 204)
  }

  /** One records call; returns how many records and value bytes it brought. */
  async poll(): Promise<{ records: number; valueBytes: number }> {
    const text = await this.call(`${this.path}/records?${READ_QUERY}`, {}, 200)
    const records = JSON.parse(text) as { value: string | null }[]
    const valueBytes = records.reduce(
      (sum, r) => sum + (r.value === null ? 0 : Buffer.byteLength(r.value, 'base64')),
      0,
    )
    return { records: records.length, valueBytes }
  }

  async assignment(): Promise<string[]> {
    const text = await this.call(`${this.path}/assignments`, {}, 200)
    return (
      JSON.parse(text) as { partitions: { topic: string; partition: number }[] }
    ).partitions.map((p) => `${p.topic}/${p.partition}`)
  }

  async rewind(partitions: readonly string[]): Promise<void> {
    const body = {
      partitions: partitions.map((key) => {
        const [topic, partition] = key.split('/')
        return { topic, partition: Number(partition) }
      }),
    }
    await this.post(`${this.path}/positions/beginning`, body, 204)
  }

  async delete(): Promise<void> {
    await this.call(this.path, { method: 'DELETE' }, 204)
  }
}

/**
 * Consumer figures: one consumer, then a group of four, each reading a
 * 4-partition topic from the start to the end through `GET .../records` (auto
 * commit on, at Kafka's 5 s interval). The group first settles its assignment
 * and rewinds, so the timed part is reading, heartbeats included.
 */
export async function runConsumerCells(
  context: CellContext,
  progress: (line: string) => void,
): Promise<ConsumerResult[]> {
  const { plan, client, pool, counter } = context
  const app = createApp({ ...context.services, clusterId: CLUSTER_ID, maxRequestBytes: 6 * MIB })
  const records = RECORDS[plan.mode]
  const cell = {
    id: 'consumers',
    partitions: PARTITIONS,
    batchSize: PRODUCE_BATCH,
    requests: records / PRODUCE_BATCH,
  }
  const topic = `bench-${cell.id}`
  await context.services.broker.topics.create({ name: topic, partitionsCount: PARTITIONS })
  progress(`consumers: producing ${records} records to ${topic}…`)
  for (const request of planRequests(cell, pool, 0, cell.requests)) {
    await client.produceBatch(topic, request.body)
  }

  const results: ConsumerResult[] = []
  for (const size of [1, 4]) {
    progress(`consumers: ${size} consumer(s) reading ${records} records…`)
    const group = `bench-group-${size}`
    const consumers = Array.from(
      { length: size },
      (_, i) => new ConsumerClient(app, group, `consumer-${i}`),
    )
    for (const consumer of consumers) await consumer.create(topic)
    await settle(consumers, PARTITIONS)

    counter.reset()
    const latenciesMs: number[] = []
    let read = 0
    let valueBytes = 0
    const started = performance.now()
    await Promise.all(
      consumers.map(async (consumer) => {
        // All records exist before the run: a consumer is done at its first empty call.
        for (;;) {
          const callStarted = performance.now()
          const page = await consumer.poll()
          latenciesMs.push(performance.now() - callStarted)
          read += page.records
          valueBytes += page.valueBytes
          if (page.records === 0) return
        }
      }),
    )
    const elapsedMs = performance.now() - started
    const counts = counter.snapshot()
    if (read !== records) throw new Error(`${size} consumer(s) read ${read} of ${records} records`)
    for (const consumer of consumers) await consumer.delete()

    const calls = latenciesMs.length
    const dynamodb = counts.filter((count) => count.service === 'DynamoDB')
    results.push({
      id: `c${size}-p${PARTITIONS}`,
      consumers: size,
      partitions: PARTITIONS,
      records: read,
      valueBytes,
      recordsCalls: calls,
      elapsedMs,
      recordsPerSecond: perSecond(read, elapsedMs),
      mibPerSecond: perSecond(valueBytes / MIB, elapsedMs),
      latency: summarizeLatencies(latenciesMs),
      dynamodbRequestsPerCall: dynamodb.reduce((sum, count) => sum + count.requests, 0) / calls,
      requestsPerCall: Object.fromEntries(
        counts.map((count) => [`${count.service} ${count.operation}`, count.requests / calls]),
      ),
      counts,
    })
  }
  return results
}

/** Heartbeats until every partition is held by exactly one consumer, then rewinds them all. */
async function settle(consumers: readonly ConsumerClient[], partitions: number): Promise<void> {
  for (let round = 0; round < 20; round++) {
    await Promise.all(consumers.map((consumer) => consumer.poll()))
    const held = await Promise.all(consumers.map((consumer) => consumer.assignment()))
    const all = held.flat()
    if (all.length === partitions && new Set(all).size === partitions) {
      await Promise.all(consumers.map((consumer, i) => consumer.rewind(held[i] ?? [])))
      return
    }
  }
  throw new Error('The consumer group did not settle in 20 rounds')
}
