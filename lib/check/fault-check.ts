import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Broker } from '../broker/broker.ts'
import { InvalidArgumentError, SluiceRequestError } from '../client/errors.ts'
import { Sluice } from '../client/sluice.ts'
import { partitionForKey } from '../common/partitioner.ts'
import { createServices } from '../runtime/services.ts'
import type { AwsClients, EngineEndpoints } from '../storage/aws/clients.ts'
import { awsStorage } from '../storage/aws/storage-engine.ts'
import type { TopicItem } from '../storage/ports/topics.ts'
import type { StorageNames } from '../storage/tables.ts'
import { type CheckReport, checkHistory } from './checker.ts'
import { type FaultKind, FaultLayer, type FaultRates, seededRandom } from './fault-layer.ts'
import type { History, ObservedRecord, PollOperation, ProduceOperation } from './history.ts'
import { ServerProcess } from './server-process.ts'

export interface FaultCheckOptions {
  /** Clients of the engines, for the check's own work: setup, maintenance, the final read. */
  readonly clients: AwsClients
  /** The engines `clients` reach, for the server process; undefined for the SDK's configuration. */
  readonly endpoints: EngineEndpoints | undefined
  readonly names: StorageNames
  readonly producers: number
  readonly recordsPerProducer: number
  /** `send` calls each producer keeps awaiting at once. */
  readonly outstandingSends: number
  readonly consumers: number
  readonly partitions: number
  readonly rates: FaultRates
  readonly seed: number
  readonly idempotent: boolean
  /** Run merge, compaction, retention and GC on the topic all along. */
  readonly maintenance: boolean
  /** Times the server process is SIGKILLed, at random points of the run, and started again. */
  readonly serverKills: number
  readonly progress?: (line: string) => void
}

export interface FaultCheckRun {
  readonly report: CheckReport
  readonly faults: Readonly<Record<FaultKind, number>>
  /** Produce and poll calls the history holds. */
  readonly operations: number
  readonly failedPolls: number
  /** Why sends ended without a clear answer, by error message. */
  readonly unknownSends: Readonly<Record<string, number>>
  readonly maintenanceRuns: { readonly ok: number; readonly failed: number }
  readonly serverKills: number
  /** From each kill until the server listened again, in total. */
  readonly serverDownMs: number
  /** Requests that failed to reach the server or to hear from it, besides the injected ones: the kills'. */
  readonly connectionErrors: number
  readonly elapsedMs: number
}

const CLUSTER_ID = 'check'
const TOPIC = 'fault-check'
const POLL_RECORDS = 200
/**
 * Quick retries for the injected faults, which rarely strike twice in a row,
 * backing off to a second: twenty of them outlast a killed server's restart.
 */
const CLIENT_RETRY = { retries: 20, initialRetryTimeMs: 10, maxRetryTimeMs: 1_000 }

/**
 * Many producers and consumers on the real engines, through faults at every
 * layer, while maintenance rewrites the index and deletes objects and the
 * server process they talk to is killed and restarted; then one clean read of
 * the whole log, and the checker's verdict on the history.
 */
export async function runFaultCheck(options: FaultCheckOptions): Promise<FaultCheckRun> {
  const progress = options.progress ?? (() => {})
  const services = createServices(awsStorage(options.clients, options.names), {
    // GC's grace stays above the server's commit budget (check-server.ts), as the
    // design requires, but short enough that GC deletes objects while the check runs.
    maintenance: { objectGraceMs: 15_000, leaseMs: 10_000, log: () => {} },
  })
  const { broker } = services
  const topic = await broker.topics.create({
    name: TOPIC,
    partitionsCount: options.partitions,
    configs: {
      // Every key is unique: compaction rewrites segments but must keep every record.
      'cleanup.policy': 'compact,delete',
      'retention.ms': '-1',
      'segment.bytes': String(256 * 1024),
      'min.cleanable.dirty.ratio': '0.01',
    },
  })
  const faults = new FaultLayer(options.rates, options.seed)
  const server = new ServerProcess(
    {
      endpoints: options.endpoints ?? null,
      names: options.names,
      clusterId: CLUSTER_ID,
      rates: options.rates,
      seed: options.seed,
    },
    (kind) => faults.tally(kind),
  )
  // The check's own clients run maintenance: its SDK calls meet faults too.
  faults.attach(options.clients)
  const started = performance.now()
  let connectionErrors = 0
  const fetch: typeof globalThis.fetch = async (input, init) => {
    try {
      return await globalThis.fetch(input, init)
    } catch (error) {
      connectionErrors++
      throw error
    }
  }
  try {
    await server.start()
    const sluice = new Sluice({
      url: server.url,
      clusterId: CLUSTER_ID,
      fetch: faults.wrapFetch(fetch),
      retry: CLIENT_RETRY,
    })
    const produces: ProduceOperation[] = []
    const polls: PollOperation[] = []
    let failedPolls = 0
    let producing = true
    const maintenance = { ok: 0, failed: 0 }
    let serverKills = 0
    let serverDownMs = 0

    const producers = Array.from({ length: options.producers }, (_, i) =>
      produceAll(sluice, `p${i}`, options, produces),
    )
    const maintaining = options.maintenance
      ? (async () => {
          while (producing) {
            try {
              await services.maintenance.run({ topics: [TOPIC], budgetMs: 3_000 })
              maintenance.ok++
            } catch {
              maintenance.failed++
            }
            await sleep(100)
          }
        })()
      : Promise.resolve()
    const killing = (async () => {
      for (const at of killPoints(options)) {
        while (producing && produces.length < at) await sleep(10)
        if (!producing) return
        const killed = performance.now()
        await server.kill()
        serverKills++
        await server.start()
        serverDownMs += performance.now() - killed
      }
    })()
    const consumers = Array.from({ length: options.consumers }, (_, i) =>
      consume(
        sluice,
        `c${i}`,
        options.partitions,
        () => producing,
        polls,
        () => {
          failedPolls++
        },
      ),
    )
    const progressTimer = setInterval(() => {
      progress(
        `${produces.length} sends answered, ${polls.length} polls, faults ${JSON.stringify(faults.counts())}`,
      )
    }, 5_000)
    try {
      // A server that fails to start again ends the check at once, not after the producers give up.
      await Promise.race([Promise.all(producers), killing.then(() => Promise.all(producers))])
      producing = false
      await Promise.all([maintaining, killing, ...consumers])
    } finally {
      clearInterval(progressTimer)
    }
    faults.remove()
    const elapsedMs = performance.now() - started
    progress('reading the whole log back…')
    const history: History = {
      produces,
      polls,
      failedPolls,
      final: await readLog(broker, topic),
    }
    return {
      report: checkHistory(history),
      faults: faults.counts(),
      operations: produces.length + polls.length,
      failedPolls,
      unknownSends: countBy(produces.flatMap((op) => (op.outcome === 'unknown' ? [op.error] : []))),
      maintenanceRuns: maintenance,
      serverKills,
      serverDownMs,
      connectionErrors,
      elapsedMs,
    }
  } finally {
    faults.remove()
    await server.stop()
  }
}

/**
 * How many sends have been answered when each kill comes: random points, in
 * order, within the first 80% of the run, so that sends are still in flight
 * at every kill and none comes after the last send.
 */
function killPoints(options: FaultCheckOptions): number[] {
  const sends = options.producers * options.recordsPerProducer
  const random = seededRandom(options.seed + 1)
  return Array.from({ length: options.serverKills }, () => Math.floor(random() * sends * 0.8)).sort(
    (a, b) => a - b,
  )
}

/** One producer process: unique values, `outstandingSends` awaiting at once, each send one record. */
async function produceAll(
  sluice: Sluice,
  process: string,
  options: FaultCheckOptions,
  history: ProduceOperation[],
): Promise<void> {
  const producer = sluice.producer({
    idempotent: options.idempotent,
    retry: CLIENT_RETRY,
  })
  let next = 0
  const sendLoop = async () => {
    for (let seq = next++; seq < options.recordsPerProducer; seq = next++) {
      const value = `${process}-${seq}`
      const partition = partitionForKey(Buffer.from(value), options.partitions)
      try {
        const [stored] = await producer.send({ topic: TOPIC, messages: [{ key: value, value }] })
        history.push({
          process,
          seq,
          value,
          partition,
          outcome: 'ok',
          offset: stored?.offset ?? -1,
        })
      } catch (error) {
        history.push({
          process,
          seq,
          value,
          partition,
          outcome: refusedForGood(error) ? 'fail' : 'unknown',
          error: (error as Error).message,
        })
      }
    }
  }
  await Promise.all(Array.from({ length: options.outstandingSends }, sendLoop))
  await producer.disconnect()
}

/** A refusal that stored nothing: a 4xx answer, or a message the client never sent. */
function refusedForGood(error: unknown): boolean {
  if (error instanceof InvalidArgumentError) return true
  return (
    error instanceof SluiceRequestError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 429
  )
}

/** One consumer process: reads every partition from 0, round robin, until producing is over and it has caught up. */
async function consume(
  sluice: Sluice,
  process: string,
  partitions: number,
  producing: () => boolean,
  history: PollOperation[],
  failed: () => void,
): Promise<void> {
  const positions = new Array<number>(partitions).fill(0)
  const caughtUp = new Array<boolean>(partitions).fill(false)
  while (producing() || caughtUp.some((done) => !done)) {
    let progressed = false
    for (let partition = 0; partition < partitions; partition++) {
      const from = positions[partition] as number
      try {
        const read = await sluice.readPartition({
          topic: TOPIC,
          partition,
          from,
          maxRecords: POLL_RECORDS,
        })
        const records = read.records.map((r) => ({
          offset: r.offset,
          value: String(r.value?.data),
        }))
        history.push({ process, partition, from, records, nextOffset: read.nextOffset })
        positions[partition] = read.nextOffset
        caughtUp[partition] = !producing() && read.nextOffset >= read.latestOffset
        progressed ||= records.length > 0
      } catch {
        failed()
      }
    }
    if (!progressed) await sleep(20)
  }
}

/** Every record of the topic, read straight from the broker once nothing else is running. */
async function readLog(broker: Broker, topic: TopicItem): Promise<Map<number, ObservedRecord[]>> {
  const log = new Map<number, ObservedRecord[]>()
  for (let partition = 0; partition < topic.partitionsCount; partition++) {
    const records: ObservedRecord[] = []
    let offset = 0
    for (;;) {
      const page = await broker.reader.read(topic, partition, {
        start: { kind: 'offset', offset },
        maxRecords: 10_000,
        maxBytes: 4 * 1024 * 1024,
        timeoutMs: 0,
      })
      for (const record of page.records) {
        records.push({ offset: record.offset, value: Buffer.from(record.value ?? []).toString() })
      }
      if (page.records.length === 0 || page.nextOffset >= page.logEndOffset) break
      offset = page.nextOffset
    }
    log.set(partition, records)
  }
  return log
}

function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1
  return counts
}
