import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { performance } from 'node:perf_hooks'
import { READ_LIMITS } from '../../lib/http/v3/records.ts'
import { resolveKcat } from '../support/kcat.ts'
import type { BenchMode } from './cells.ts'
import type { CellContext } from './context.ts'
import { serveOnLoopback } from './loopback-server.ts'
import { perSecond } from './stats.ts'

/** One client moving records through one path, end to end. */
export interface KafkaPathResult {
  readonly id: string
  readonly client: 'kafkajs' | 'kcat' | 'HTTP'
  readonly direction: 'produce' | 'consume'
  readonly records: number
  readonly bytes: number
  readonly elapsedMs: number
  readonly recordsPerSecond: number
  readonly mibPerSecond: number
}

export interface KafkaBenchResult {
  readonly paths: readonly KafkaPathResult[]
  /** Why kcat rows are missing, when they are. */
  readonly skipped?: string
}

const CLUSTER_ID = 'bench'
const PARTITIONS = 4
const RECORDS: Record<BenchMode, number> = { full: 20_000, quick: 1_000 }
/** kafkajs does not batch across send calls, so the application sends batches, several at once. */
const KAFKAJS_SEND_RECORDS = 100
const KAFKAJS_SENDS_IN_FLIGHT = 8
const REST_PAGE_RECORDS = 1000

function result(
  id: string,
  client: KafkaPathResult['client'],
  direction: KafkaPathResult['direction'],
  records: number,
  bytes: number,
  elapsedMs: number,
): KafkaPathResult {
  return {
    id,
    client,
    direction,
    records,
    bytes,
    elapsedMs,
    recordsPerSecond: perSecond(records, elapsedMs),
    mibPerSecond: perSecond(bytes / 2 ** 20, elapsedMs),
  }
}

/** Runs a command to completion with `input` on stdin, its output discarded. */
async function runCommand(command: string, args: readonly string[], input = ''): Promise<void> {
  const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'inherit'] })
  child.stdin.end(input)
  const [code] = await once(child, 'exit')
  if (code !== 0) throw new Error(`${command} exited with ${code}`)
}

/**
 * Records/s and MiB/s through the Kafka gateway (kafkajs and kcat, on a
 * loopback port) and through the HTTP read API, in the same run and on the
 * same broker as the HTTP produce cells: 1 KiB values, keyed over 4 partitions.
 */
export async function runKafkaCells(
  context: CellContext,
  progress: (line: string) => void,
): Promise<KafkaBenchResult> {
  const { Kafka, logLevel } = await import('kafkajs')
  const records = RECORDS[context.plan.mode]
  const valueBytes = context.pool.valueBytes
  const server = await serveOnLoopback(context, CLUSTER_ID)
  const url = `${server.url}/v3/clusters/${CLUSTER_ID}`
  const kafka = new Kafka({ brokers: [context.kafkaBootstrap], logLevel: logLevel.NOTHING })
  const paths: KafkaPathResult[] = []
  try {
    /** Produces the records with kafkajs into a new topic, idempotently or not. */
    const kafkajsProduce = async (topic: string, idempotent: boolean) => {
      await context.services.broker.topics.create({ name: topic, partitionsCount: PARTITIONS })
      const producer = kafka.producer({ idempotent })
      await producer.connect()
      let next = 0
      const sendLoop = async () => {
        for (let first = next; first < records; first = next) {
          next += KAFKAJS_SEND_RECORDS
          const messages = []
          for (let i = first; i < Math.min(first + KAFKAJS_SEND_RECORDS, records); i++) {
            messages.push({ key: `key-${i}`, value: context.pool.at(i).bytes })
          }
          await producer.send({ topic, acks: -1, messages })
        }
      }
      const started = performance.now()
      await Promise.all(Array.from({ length: KAFKAJS_SENDS_IN_FLIGHT }, sendLoop))
      const elapsedMs = performance.now() - started
      await producer.disconnect()
      return elapsedMs
    }
    /** Measures a client producing the records twice: without idempotence, then with it. */
    const produceBothWays = async (
      client: 'kafkajs' | 'kcat',
      topic: string,
      produceInto: (topic: string, idempotent: boolean) => Promise<number>,
    ) => {
      for (const idempotent of [false, true]) {
        const how = idempotent ? ', idempotently' : ''
        progress(`kafka gateway: ${client} produces ${records} records${how}…`)
        const elapsedMs = await produceInto(idempotent ? `${topic}-idempotent` : topic, idempotent)
        const id = `${client}-produce${idempotent ? '-idempotent' : ''}`
        paths.push(result(id, client, 'produce', records, records * valueBytes, elapsedMs))
      }
    }
    const topic = 'bench-kafka-kafkajs'
    await produceBothWays('kafkajs', topic, kafkajsProduce)

    progress('kafka gateway: a kafkajs group consumer reads them back…')
    const consumer = kafka.consumer({ groupId: 'bench-kafkajs', maxWaitTimeInMs: 100 })
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    let consumed = 0
    let started = performance.now()
    const done = new Promise<void>((resolve) => {
      started = performance.now()
      void consumer.run({
        eachBatch: async ({ batch }) => {
          consumed += batch.messages.length
          if (consumed >= records) resolve()
        },
      })
    })
    await done
    paths.push(
      result(
        'kafkajs-consume',
        'kafkajs',
        'consume',
        records,
        records * valueBytes,
        performance.now() - started,
      ),
    )
    await consumer.disconnect()

    progress('HTTP: the read API reads the same records back…')
    started = performance.now()
    let read = 0
    for (let partition = 0; partition < PARTITIONS; partition++) {
      for (let offset = 0; ; ) {
        const response = await fetch(
          `${url}/topics/${topic}/partitions/${partition}/records?offset=${offset}&max_records=${REST_PAGE_RECORDS}&max_bytes=${READ_LIMITS.maxBytes.max}`,
        )
        if (!response.ok) throw new Error(`read API: ${response.status} ${await response.text()}`)
        const body = (await response.json()) as {
          data: unknown[]
          next_offset: number
          latest_offset: number
        }
        read += body.data.length
        offset = body.next_offset
        if (offset >= body.latest_offset) break
      }
    }
    paths.push(
      result('http-read', 'HTTP', 'consume', read, read * valueBytes, performance.now() - started),
    )

    const kcat = await resolveKcat().catch((error: Error) => error)
    if (kcat instanceof Error) return { paths, skipped: kcat.message }
    // kcat reads lines, so values are text: base64 of random bytes, as long as the others.
    const value = context.pool.at(0).base64.slice(0, valueBytes)
    const lines = Array.from({ length: records }, (_, i) => `key-${i}:${value}\n`).join('')
    /** Produces the lines with kcat into a new topic, idempotently or not. */
    const kcatProduce = async (topic: string, idempotent: boolean) => {
      await context.services.broker.topics.create({ name: topic, partitionsCount: PARTITIONS })
      const args = ['-P', '-b', context.kafkaBootstrap, '-t', topic, '-q', '-K:']
      const started = performance.now()
      await runCommand(kcat, [...args, '-X', `enable.idempotence=${idempotent}`], lines)
      return performance.now() - started
    }
    const kcatTopic = 'bench-kafka-kcat'
    await produceBothWays('kcat', kcatTopic, kcatProduce)
    progress('kafka gateway: kcat reads them back…')
    started = performance.now()
    await runCommand(kcat, [
      '-C',
      '-b',
      context.kafkaBootstrap,
      '-t',
      kcatTopic,
      '-q',
      '-o',
      'beginning',
      '-e',
    ])
    paths.push(
      result(
        'kcat-consume',
        'kcat',
        'consume',
        records,
        records * valueBytes,
        performance.now() - started,
      ),
    )
    return { paths }
  } finally {
    await server.close()
  }
}
