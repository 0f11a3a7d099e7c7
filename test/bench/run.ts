import { createApp } from '../../lib/http/app.ts'
import type { ScratchEnvironment } from '../../lib/local/scratch-environment.ts'
import { createServices } from '../../lib/runtime/services.ts'
import { awsStorage } from '../../lib/storage/aws/storage-engine.ts'
import { startBenchGateway } from './bench-gateway.ts'
import type { BenchPlan } from './cells.ts'
import { runClientProducerCells } from './client-producer-cell.ts'
import { runConsumerCells } from './consumer-cell.ts'
import type { CellContext } from './context.ts'
import { InProcessClient } from './http-client.ts'
import { runIdempotenceCells } from './idempotence-cell.ts'
import { runKafkaCells } from './kafka-cell.ts'
import { machineConditions } from './machine.ts'
import { runMaintenanceCells } from './maintenance-cell.ts'
import { AWS_PRICES } from './prices.ts'
import { runProduceCell } from './produce-cell.ts'
import { runReadCell } from './read-cell.ts'
import { RequestCounter } from './request-counter.ts'
import type { BenchResults, ProduceResult, ReadResult } from './results.ts'
import { ValuePool } from './workload.ts'

const CLUSTER_ID = 'bench'
/** Lambda's limit for a buffered payload, as the deployed API has it; the largest cell needs ~1.4 MB. */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024

export const PATH_DESCRIPTION =
  'HTTP in process: Hono app.request on createApp(), v3 POST records:batch (BINARY values, STRING keys)'

/** Runs every cell of the plan against the environment; `progress` hears what is happening. */
export async function runBench(
  plan: BenchPlan,
  environment: ScratchEnvironment,
  progress: (line: string) => void,
): Promise<BenchResults> {
  const startedAt = new Date()
  const atStart = machineConditions()
  const counter = new RequestCounter()
  counter.attach(environment.clients)
  const services = createServices(awsStorage(environment.clients, environment.names))
  const app = createApp({ ...services, clusterId: CLUSTER_ID, maxRequestBytes: MAX_REQUEST_BYTES })
  const gateway = await startBenchGateway(services, CLUSTER_ID)
  let cells: CellResults
  try {
    const context: CellContext = {
      plan,
      environment,
      services,
      client: new InProcessClient(app, CLUSTER_ID),
      kafkaBootstrap: gateway.bootstrap,
      counter,
      pool: new ValuePool(plan.valueBytes),
    }
    cells = await runCells(context, progress)
  } finally {
    await gateway.close()
  }
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: plan.mode,
    plan,
    path: PATH_DESCRIPTION,
    producers: plan.producers,
    valueBytes: plan.valueBytes,
    engines: environment.engines,
    localEngines: environment.local,
    machine: { atStart, atEnd: machineConditions() },
    prices: AWS_PRICES,
    ...cells,
  }
}

/** What the cells measured, in the shape of the results. */
type CellResults = Pick<
  BenchResults,
  'produce' | 'reads' | 'idempotence' | 'maintenance' | 'consumers' | 'clientProducer' | 'kafka'
>

async function runCells(
  context: CellContext,
  progress: (line: string) => void,
): Promise<CellResults> {
  const { plan } = context
  progress(`warming up the engines with ${plan.engineWarmup.requests} requests (not reported)…`)
  await runProduceCell(context, plan.engineWarmup)

  const produce: ProduceResult[] = []
  const reads: ReadResult[] = []
  for (const cell of plan.cells) {
    progress(
      `${cell.id}: ${cell.requests} requests of ${cell.batchSize} records, ${cell.partitions} partition(s)…`,
    )
    const result = await runProduceCell(context, cell)
    produce.push(result)
    const read = await runReadCell(context, cell)
    reads.push(read)
    progress(
      `${cell.id}: produce ${(result.sluice.elapsedMs / 1000).toFixed(1)} s, floor ${(result.floor.elapsedMs / 1000).toFixed(1)} s, read ${(read.read.elapsedMs / 1000).toFixed(1)} s, Kafka fetch ${(read.fetch.read.elapsedMs / 1000).toFixed(1)} s`,
    )
  }
  const idempotence = await runIdempotenceCells(context, progress)
  const maintenance = await runMaintenanceCells(context, progress)
  const consumers = await runConsumerCells(context, progress)
  const clientProducer = await runClientProducerCells(context, progress)
  const kafka = await runKafkaCells(context, progress)
  return { produce, reads, idempotence, maintenance, consumers, clientProducer, kafka }
}
