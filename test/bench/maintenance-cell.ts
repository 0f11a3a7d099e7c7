import { performance } from 'node:perf_hooks'
import { Maintenance } from '../../lib/maintenance/maintenance.ts'
import type { MaintenanceTask } from '../../lib/maintenance/tasks.ts'
import { awsStorage } from '../../lib/storage/aws/storage-engine.ts'
import type { BenchMode } from './cells.ts'
import type { CellContext } from './context.ts'
import { type CostPerGiB, costPerGiB } from './cost.ts'
import { runConcurrently } from './driver.ts'
import type { OperationCount } from './request-counter.ts'
import { perSecond } from './stats.ts'

/** One maintenance task timed on one topic the bench filled. */
export interface MaintenanceResult {
  readonly id: string
  readonly task: Extract<MaintenanceTask, 'merge' | 'compact'>
  readonly topic: string
  /** Index entries before and after: the S3 GETs a read of the whole partition needs. */
  readonly entriesBefore: number
  readonly entriesAfter: number
  /** Bytes of the entries read and replaced; MiB/s and the per-GiB figures count these. */
  readonly bytesRewritten: number
  readonly bytesWritten: number
  readonly recordsDropped: number
  readonly elapsedMs: number
  readonly mibPerSecond: number
  readonly counts: readonly OperationCount[]
  readonly cost: CostPerGiB
}

const MIB = 1024 ** 2

/** Keys the compaction cell's records cycle through, so most records are superseded. */
const COMPACTION_KEYS = 64
const COMPACTION_BATCH = 100
const COMPACTION_REQUESTS: Record<BenchMode, number> = { full: 160, quick: 8 }

/**
 * Maintenance figures: a merge of the single-partition topics the produce
 * cells filled (batch 1 leaves one tiny entry per record), and a compaction of
 * a topic whose records cycle through a few keys.
 */
export async function runMaintenanceCells(
  context: CellContext,
  progress: (line: string) => void,
): Promise<MaintenanceResult[]> {
  const { clients, names } = context.environment
  const maintenance = new Maintenance(awsStorage(clients, names), { log: () => {} })
  const results: MaintenanceResult[] = []
  for (const cell of context.plan.cells.filter((c) => c.partitions === 1 && c.batchSize <= 100)) {
    progress(`maintenance: merging bench-${cell.id}…`)
    results.push(await measure(context, maintenance, 'merge', `bench-${cell.id}`))
  }
  progress('maintenance: filling and compacting bench-compact…')
  await fillCompactedTopic(context)
  results.push(await measure(context, maintenance, 'compact', 'bench-compact'))
  return results
}

async function fillCompactedTopic(context: CellContext): Promise<void> {
  const { client, pool, plan } = context
  const { broker } = context.services
  await broker.topics.create({
    name: 'bench-compact',
    // Rolled at once, so no entry stays in the active head: the pass compacts everything written.
    configs: { 'cleanup.policy': 'compact', 'segment.ms': '1' },
  })
  const requests = COMPACTION_REQUESTS[plan.mode]
  await runConcurrently(requests, plan.producers, (index) => {
    const entries = Array.from({ length: COMPACTION_BATCH }, (_, i) => {
      const n = index * COMPACTION_BATCH + i
      return {
        id: String(i),
        key: { type: 'STRING', data: `key-${n % COMPACTION_KEYS}` },
        value: { type: 'BINARY', data: pool.at(n).base64 },
      }
    })
    return client.produceBatch('bench-compact', JSON.stringify({ entries }))
  })
}

async function measure(
  { counter }: CellContext,
  maintenance: Maintenance,
  task: MaintenanceResult['task'],
  topic: string,
): Promise<MaintenanceResult> {
  counter.reset()
  const started = performance.now()
  const report = await maintenance.run({ topics: [topic], tasks: [task], budgetMs: 15 * 60_000 })
  const elapsedMs = performance.now() - started
  const counts = counter.snapshot()
  const done = report.partitions.find((p) => p.partition === 0)?.tasks[task]
  if (!done?.complete)
    throw new Error(`Maintenance of '${topic}' did not finish: ${JSON.stringify(report)}`)
  return {
    id: `${task} ${topic}`,
    task,
    topic,
    entriesBefore: done.entriesBefore,
    entriesAfter: done.entriesAfter,
    bytesRewritten: done.bytesRewritten,
    bytesWritten: done.bytesWritten,
    recordsDropped: done.recordsDropped,
    elapsedMs,
    mibPerSecond: perSecond(done.bytesRewritten / MIB, elapsedMs),
    counts,
    cost: costPerGiB(counts, done.bytesRewritten),
  }
}
