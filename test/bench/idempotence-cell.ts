import type { BenchMode } from './cells.ts'
import type { CellContext } from './context.ts'
import { runConcurrently } from './driver.ts'
import type { OperationCount } from './request-counter.ts'
import { type LatencySummary, summarizeLatencies } from './stats.ts'

/** Produce requests with and without a producer id: what idempotence costs. */
export interface IdempotenceResult {
  readonly id: 'without-producer-id' | 'with-producer-id'
  readonly requests: number
  readonly recordsPerRequest: number
  readonly latency: LatencySummary
  /** DynamoDB HTTP requests per produce request, SDK retries included. */
  readonly dynamodbRequestsPerProduce: number
  readonly dynamodbWriteUnitsPerProduce: number
  readonly dynamodbReadUnitsPerProduce: number
  /** Commits that lost a race and were retried. */
  readonly commitConflicts: number
}

export interface IdempotenceComparison {
  readonly runs: readonly [IdempotenceResult, IdempotenceResult]
  /** With over without. */
  readonly ratio: { readonly p50: number; readonly dynamodbRequests: number }
}

const PARTITIONS = 4
const RECORDS_PER_REQUEST = 10
const REQUESTS: Record<BenchMode, number> = { full: 400, quick: 20 }

/**
 * The same workload twice in one run: each producer sends requests of 10
 * records to a partition of its own, one in flight, first as plain requests,
 * then as an idempotent producer (producer id, epoch and sequences). The
 * counter sees only the measured requests of each.
 */
export async function runIdempotenceCells(
  context: CellContext,
  progress: (line: string) => void,
): Promise<IdempotenceComparison> {
  const requests = REQUESTS[context.plan.mode]
  progress(`idempotence: ${requests} requests without, then with a producer id…`)
  const without = await runCell(context, 'without-producer-id', requests)
  const withId = await runCell(context, 'with-producer-id', requests)
  return {
    runs: [without, withId],
    ratio: {
      p50: withId.latency.p50Ms / without.latency.p50Ms,
      dynamodbRequests: withId.dynamodbRequestsPerProduce / without.dynamodbRequestsPerProduce,
    },
  }
}

async function runCell(
  context: CellContext,
  id: IdempotenceResult['id'],
  requests: number,
): Promise<IdempotenceResult> {
  const topic = `bench-${id}`
  await context.services.broker.topics.create({ name: topic, partitionsCount: PARTITIONS })
  const producers = context.plan.producers
  const idempotent = id === 'with-producer-id'
  const sessions = await Promise.all(
    Array.from({ length: producers }, async () =>
      idempotent ? await context.client.initProducer() : undefined,
    ),
  )
  const sent = new Array<number>(producers).fill(0)
  const send = async (_: number, producer: number) => {
    const partition = producer % PARTITIONS
    const first = (sent[producer] as number) * RECORDS_PER_REQUEST
    sent[producer] = (sent[producer] as number) + 1
    const session = sessions[producer]
    const entries = Array.from({ length: RECORDS_PER_REQUEST }, (_, i) => ({
      id: String(i),
      partition_id: partition,
      value: { type: 'BINARY', data: context.pool.at(first + i).base64 },
      ...(session && { sequence: first + i }),
    }))
    await context.client.produceBatch(topic, JSON.stringify({ ...session, entries }))
  }
  // Unmeasured: the first request of each producer creates its partition's items.
  await runConcurrently(producers, producers, send)
  context.counter.reset()
  const run = await runConcurrently(requests, producers, send)
  const dynamodb = context.counter.snapshot().filter((count) => count.service === 'DynamoDB')
  const total = (pick: (count: OperationCount) => number) =>
    dynamodb.reduce((sum, count) => sum + pick(count), 0) / requests
  return {
    id,
    requests,
    recordsPerRequest: RECORDS_PER_REQUEST,
    latency: summarizeLatencies(run.latenciesMs),
    dynamodbRequestsPerProduce: total((count) => count.requests),
    dynamodbWriteUnitsPerProduce: total((count) => count.writeUnits),
    dynamodbReadUnitsPerProduce: total((count) => count.readUnits),
    commitConflicts:
      dynamodb.find((count) => count.operation === 'TransactWriteItems')?.failuresByError
        .TransactionCanceledException ?? 0,
  }
}
