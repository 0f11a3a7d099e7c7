import type { ProduceCell } from './cells.ts'
import { type CellContext, cellTopic } from './context.ts'
import { runConcurrently } from './driver.ts'
import { StorageFloor } from './floor.ts'
import { measurement, totalVolume } from './measurement.ts'
import type { OperationCount } from './request-counter.ts'
import type { Measurement, ProduceResult } from './results.ts'
import { type PlannedRequest, planRequests } from './workload.ts'

/**
 * Produces a cell's requests through Sluice's HTTP API, then the same requests'
 * storage work straight against the engines (the floor), then, for one-record
 * requests, their commits alone (the bare transaction). Each gets its own unmeasured warm-up, and the
 * counter sees only the measured requests.
 */
export async function runProduceCell(
  context: CellContext,
  cell: ProduceCell,
): Promise<ProduceResult> {
  const { plan, environment, client, counter, pool } = context
  const { broker } = context.services
  const topic = cellTopic(cell)
  await broker.topics.create({ name: topic, partitionsCount: cell.partitions })
  const warmup = planRequests(cell, pool, 0, plan.producers * plan.warmupRequestsPerProducer)
  const requests = planRequests(cell, pool, warmup.length, cell.requests)

  const send = (planned: readonly PlannedRequest[]) => (index: number) =>
    client.produceBatch(topic, (planned[index] as PlannedRequest).body)
  await runConcurrently(warmup.length, plan.producers, send(warmup))
  counter.reset()
  const sluiceRun = await runConcurrently(requests.length, plan.producers, send(requests))
  const sluiceCounts = counter.snapshot()

  const maxObjectBytes = Math.max(
    ...requests.map((r) => r.objectBytes),
    ...warmup.map((r) => r.objectBytes),
  )
  const floor = new StorageFloor(environment.clients, environment.names, maxObjectBytes)
  await floor.prepare()
  const store = (planned: readonly PlannedRequest[]) => (index: number, producer: number) =>
    floor.request(planned[index] as PlannedRequest, producer)
  await runConcurrently(warmup.length, plan.producers, store(warmup))
  counter.reset()
  const floorRun = await runConcurrently(requests.length, plan.producers, store(requests))
  const floorCounts = counter.snapshot()

  const volume = totalVolume(requests)
  const bareTransaction =
    cell.batchSize === 1 ? await runBareTransactions(context, floor, warmup, requests) : undefined

  const sluice = measurement(sluiceRun, volume, sluiceCounts)
  const storage = measurement(floorRun, volume, floorCounts)
  return {
    cell,
    topic,
    sluice,
    floor: storage,
    bareTransaction,
    ratio: {
      elapsed: sluice.elapsedMs / storage.elapsedMs,
      p50: sluice.latency.p50Ms / storage.latency.p50Ms,
      bareTransactionP50: sluice.latency.p50Ms / (bareTransaction?.latency.p50Ms ?? Number.NaN),
    },
    commitConflicts: cancelledCommits(sluiceCounts),
  }
}

/**
 * The requests' commits alone. Only for one-record requests: a larger batch
 * does not fit in one DynamoDB item, and small requests are where the commit
 * is most of a produce's cost.
 */
async function runBareTransactions(
  { plan, counter }: CellContext,
  floor: StorageFloor,
  warmup: readonly PlannedRequest[],
  requests: readonly PlannedRequest[],
): Promise<Measurement> {
  const commit = (planned: readonly PlannedRequest[]) => (index: number, producer: number) =>
    floor.bareTransaction(planned[index] as PlannedRequest, producer)
  await runConcurrently(warmup.length, plan.producers, commit(warmup))
  counter.reset()
  const run = await runConcurrently(requests.length, plan.producers, commit(requests))
  return measurement(run, totalVolume(requests), counter.snapshot())
}

function cancelledCommits(counts: readonly OperationCount[]): number {
  const commits = counts.find(
    (c) => c.service === 'DynamoDB' && c.operation === 'TransactWriteItems',
  )
  return commits?.failuresByError.TransactionCanceledException ?? 0
}
