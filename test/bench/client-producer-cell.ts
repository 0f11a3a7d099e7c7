import { performance } from 'node:perf_hooks'
import { DEFAULT_BATCHING, type ProducerOptions } from '../../lib/client/producer.ts'
import { Sluice } from '../../lib/client/sluice.ts'
import type { BenchMode } from './cells.ts'
import type { CellContext } from './context.ts'
import { serveOnLoopback } from './loopback-server.ts'
import { type LatencySummary, perSecond, summarizeLatencies } from './stats.ts'

/** The client producer sending one-record `send` calls, with its batching on or off. */
export interface ClientProducerResult {
  readonly id: string
  readonly batching: boolean
  readonly settings: Required<
    Pick<ProducerOptions, 'lingerMs' | 'batchSize' | 'maxInFlightRequests'>
  >
  readonly partitions: number
  readonly records: number
  readonly valueBytes: number
  /** `records:batch` requests the producer sent. */
  readonly requests: number
  readonly recordsPerRequest: number
  readonly elapsedMs: number
  readonly recordsPerSecond: number
  /** From `send` to its delivery report, per record. */
  readonly sendLatency: LatencySummary
}

const CLUSTER_ID = 'bench'
const PARTITIONS = 4
/** Sends the application keeps open at once, each awaiting its own report. */
const OUTSTANDING_SENDS = 256
/** Without batching every request stores few records, so that cell moves fewer. */
const RECORDS: Record<BenchMode, { readonly on: number; readonly off: number }> = {
  full: { on: 20_000, off: 2_000 },
  quick: { on: 1_000, off: 200 },
}

const SETTINGS = {
  on: {
    lingerMs: DEFAULT_BATCHING.lingerMs,
    batchSize: DEFAULT_BATCHING.batchSize,
    maxInFlightRequests: 1,
  },
  // batch.size 0: a request takes at most one record of each partition.
  off: { lingerMs: 0, batchSize: 0, maxInFlightRequests: 1 },
} as const

/**
 * Records/s through the TypeScript client's producer over real HTTP (the app
 * on a loopback port), batching on (Kafka's defaults) and off, with the same
 * application behind it: one-record sends, 256 awaiting their reports at once.
 */
export async function runClientProducerCells(
  context: CellContext,
  progress: (line: string) => void,
): Promise<ClientProducerResult[]> {
  const server = await serveOnLoopback(context, CLUSTER_ID)
  const { url } = server
  try {
    const results: ClientProducerResult[] = []
    for (const batching of [true, false]) {
      const records = RECORDS[context.plan.mode][batching ? 'on' : 'off']
      progress(`client producer, batching ${batching ? 'on' : 'off'}: ${records} records…`)
      results.push(await runCell(context, url, batching, records))
    }
    return results
  } finally {
    await server.close()
  }
}

async function runCell(
  context: CellContext,
  url: string,
  batching: boolean,
  records: number,
): Promise<ClientProducerResult> {
  const id = `client-batching-${batching ? 'on' : 'off'}`
  const topic = `bench-${id}`
  await context.services.broker.topics.create({ name: topic, partitionsCount: PARTITIONS })
  let requests = 0
  const countingFetch: typeof fetch = (input, init) => {
    if (init?.method === 'POST') requests++
    return fetch(input, init)
  }
  const settings = batching ? SETTINGS.on : SETTINGS.off
  const producer = new Sluice({ url, clusterId: CLUSTER_ID, fetch: countingFetch }).producer(
    settings,
  )
  const latenciesMs: number[] = []
  let next = 0
  const sendLoop = async () => {
    for (let i = next++; i < records; i = next++) {
      const started = performance.now()
      await producer.send({
        topic,
        messages: [{ key: `key-${i}`, value: context.pool.at(i).bytes }],
      })
      latenciesMs.push(performance.now() - started)
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: OUTSTANDING_SENDS }, sendLoop))
  const elapsedMs = performance.now() - started
  await producer.disconnect()
  return {
    id,
    batching,
    settings,
    partitions: PARTITIONS,
    records,
    valueBytes: context.pool.valueBytes,
    requests,
    recordsPerRequest: records / requests,
    elapsedMs,
    recordsPerSecond: perSecond(records, elapsedMs),
    sendLatency: summarizeLatencies(latenciesMs),
  }
}
