import { randomUUID } from 'node:crypto'
import { TopicNotFoundError } from '../errors.ts'
import { partitionKey } from '../storage/keys.ts'
import { IndexChangedError, type IndexRewriter } from '../storage/ports/index-rewrite.ts'
import {
  LeaseLostError,
  type MaintenanceState,
  NO_MAINTENANCE_STATE,
  type PartitionLeases,
} from '../storage/ports/leases.ts'
import type { PartitionHeads, SegmentIndex } from '../storage/ports/log.ts'
import type { LogInventory } from '../storage/ports/log-inventory.ts'
import type { ObjectStore } from '../storage/ports/objects.ts'
import type { TopicItem, TopicStore } from '../storage/ports/topics.ts'
import { Budget } from './budget.ts'
import { compact, compactionDue } from './compaction.ts'
import {
  type MaintenanceContext,
  type PartitionView,
  type PartitionWork,
  readView,
} from './context.ts'
import { GarbageCollector } from './gc.ts'
import { merge, mergeDue } from './merge.ts'
import { DEFAULT_MAINTENANCE_OPTIONS, type MaintenanceOptions } from './options.ts'
import { PartitionLease } from './partition-lease.ts'
import {
  type GcReport,
  type MaintenanceReport,
  type PartitionOutcome,
  type PartitionReport,
  sumTotals,
  type TaskReport,
} from './report.ts'
import { retain, retentionDue } from './retention.ts'
import {
  MAINTENANCE_TASKS,
  type MaintenanceTask,
  PARTITION_TASKS,
  type PartitionTask,
} from './tasks.ts'

/** The stores maintenance works on: the log's, which it reads and rewrites, and its own. */
export interface MaintenanceStores {
  readonly objects: ObjectStore
  readonly segments: SegmentIndex
  readonly heads: PartitionHeads
  readonly topics: TopicStore
  readonly leases: PartitionLeases
  readonly rewriter: IndexRewriter
  readonly inventory: LogInventory
}

export interface MaintenanceRequest {
  /** Topic names to maintain; all topics when absent. */
  readonly topics?: readonly string[]
  /** The tasks to run; all when absent. */
  readonly tasks?: readonly MaintenanceTask[]
  /** How long the run may start new work for, from its start. */
  readonly budgetMs: number
}

interface TaskRunner {
  due(view: PartitionView, topic: TopicItem, state: MaintenanceState): boolean
  run(context: MaintenanceContext, work: PartitionWork): Promise<TaskReport>
}

interface PartitionVisit {
  readonly topic: TopicItem
  readonly partition: number
  /** As remembered when the run started; the lease brings it up to date. */
  readonly state: MaintenanceState
  readonly holder: string
  readonly budget: Budget
}

/**
 * Compaction, retention and garbage collection, run once over some topics
 * within a deadline. The scheduled functions, the dev server's interval and
 * the `maintenance:run` endpoint all call `run`.
 *
 * Partitions are visited least recently maintained first (the lease items
 * remember when each task last finished), so a run cut short by its deadline
 * is resumed by the next one. A partition is leased only when a task is due
 * on it; every task re-reads the index under the lease before it rewrites.
 */
export class Maintenance {
  private readonly options: MaintenanceOptions
  private readonly topics: TopicStore
  private readonly context: MaintenanceContext
  private readonly leases: PartitionLeases
  private readonly collector: GarbageCollector
  private readonly runners: Readonly<Record<PartitionTask, TaskRunner>>

  constructor(stores: MaintenanceStores, options: Partial<MaintenanceOptions> = {}) {
    const resolved = { ...DEFAULT_MAINTENANCE_OPTIONS, ...options }
    const { objects, segments, heads, rewriter, topics, leases, inventory } = stores
    this.options = resolved
    this.topics = topics
    this.context = { objects, segments, heads, rewriter, options: resolved }
    this.leases = leases
    this.collector = new GarbageCollector(inventory, objects, topics, resolved)
    this.runners = {
      retention: { due: (view, topic) => retentionDue(view, topic, resolved.clock()), run: retain },
      compact: {
        due: (view, topic, state) => compactionDue(view, topic, state, resolved),
        run: compact,
      },
      merge: { due: (view, topic) => mergeDue(view, topic, resolved), run: merge },
    }
  }

  async run(request: MaintenanceRequest): Promise<MaintenanceReport> {
    const { clock, log } = this.options
    const startedAt = clock()
    const budget = new Budget(startedAt + request.budgetMs, clock)
    const tasks = MAINTENANCE_TASKS.filter((task) => request.tasks?.includes(task) ?? true)
    const partitionTasks = PARTITION_TASKS.filter((task) => tasks.includes(task))
    const topics = await this.selectTopics(request.topics)
    // One holder per run: two runs in one process contend for leases like any two runs.
    const holder = randomUUID()

    const partitions: PartitionReport[] = []
    let idlePartitions = 0
    let unvisitedPartitions = 0
    if (partitionTasks.length > 0) {
      const states = await this.leases.states()
      for (const [topic, partition] of this.visitOrder(topics, partitionTasks, states)) {
        if (budget.exhausted) {
          unvisitedPartitions++
          continue
        }
        const state = states.get(partitionKey(topic.topicId, partition)) ?? NO_MAINTENANCE_STATE
        const visit = { topic, partition, state, holder, budget }
        const report = await this.maintainPartition(visit, partitionTasks)
        if (report === undefined) {
          idlePartitions++
          continue
        }
        partitions.push(report)
        log({ level: 'info', message: 'Maintained partition', ...report })
      }
    }

    let gc: MaintenanceReport['gc']
    if (tasks.includes('gc') && !budget.exhausted) {
      gc = await this.collector.collect(
        budget,
        request.topics === undefined ? undefined : topics.map((topic) => topic.topicId),
      )
      if (gcChangedAnything(gc)) log({ level: 'info', message: 'Collected garbage', ...gc })
    }

    const report: MaintenanceReport = {
      startedAt: new Date(startedAt).toISOString(),
      elapsedMs: clock() - startedAt,
      tasks,
      complete:
        unvisitedPartitions === 0 &&
        partitions.every((p) => p.outcome !== 'stopped') &&
        (!tasks.includes('gc') || gc?.complete === true),
      partitions,
      idlePartitions,
      unvisitedPartitions,
      totals: sumTotals(partitions),
      ...(gc && { gc }),
    }
    // A run that found nothing to do says nothing: the dev server runs one every minute.
    if (partitions.length > 0 || !report.complete || (gc && gcChangedAnything(gc))) {
      log({
        level: 'info',
        message: 'Maintenance run finished',
        ...report,
        partitions: partitions.length,
      })
    }
    return report
  }

  private async selectTopics(names: readonly string[] | undefined): Promise<TopicItem[]> {
    const topics = await this.topics.list()
    if (names === undefined) return topics
    const byName = new Map(topics.map((topic) => [topic.name, topic]))
    return names.map((name) => {
      const topic = byName.get(name)
      if (!topic) throw new TopicNotFoundError(name)
      return topic
    })
  }

  /** Every partition of the topics, least recently maintained (for these tasks) first. */
  private visitOrder(
    topics: readonly TopicItem[],
    tasks: readonly PartitionTask[],
    states: ReadonlyMap<string, MaintenanceState>,
  ): [TopicItem, number][] {
    const lastDone = (topic: TopicItem, partition: number) => {
      const { finishedAt } =
        states.get(partitionKey(topic.topicId, partition)) ?? NO_MAINTENANCE_STATE
      return Math.min(...tasks.map((task) => finishedAt[task] ?? 0))
    }
    const all = topics.flatMap((topic) =>
      Array.from({ length: topic.partitionsCount }, (_, p) => ({
        topic,
        partition: p,
        at: lastDone(topic, p),
      })),
    )
    all.sort((a, b) => a.at - b.at)
    return all.map(({ topic, partition }) => [topic, partition])
  }

  /** Runs the due tasks on one partition under its lease; undefined when none is due. */
  private async maintainPartition(
    { topic, partition, state, holder, budget }: PartitionVisit,
    tasks: readonly PartitionTask[],
  ): Promise<PartitionReport | undefined> {
    const key = partitionKey(topic.topicId, partition)
    const view = await readView(this.context, topic.topicId, partition)
    const due = tasks.filter((task) => this.runners[task].due(view, topic, state))
    if (due.length === 0) return undefined
    const base = { topic: topic.name, partition }
    const lease = await PartitionLease.acquire(this.leases, this.options, key, holder)
    if (!lease) return { ...base, outcome: 'busy', tasks: {} }

    const reports: Partial<Record<PartitionTask, TaskReport>> = {}
    const finished: PartitionTask[] = []
    const work: PartitionWork = { topic, partition, lease, budget }
    let outcome: PartitionOutcome = 'done'
    let failure: string | undefined
    try {
      for (const task of due) {
        const report = await this.runners[task].run(this.context, work)
        reports[task] = report
        if (!report.complete) {
          outcome = 'stopped'
          break
        }
        finished.push(task)
      }
      await lease.release(finished)
    } catch (error) {
      outcome =
        error instanceof LeaseLostError
          ? 'lease-lost'
          : error instanceof IndexChangedError
            ? 'conflict'
            : 'failed'
      failure = error instanceof Error ? error.message : String(error)
      if (outcome !== 'lease-lost') {
        // Best effort: a lease that cannot be released now simply expires.
        await lease.release(finished).catch(() => undefined)
      }
    }
    return { ...base, outcome, tasks: reports, ...(failure !== undefined && { error: failure }) }
  }
}

function gcChangedAnything(gc: GcReport): boolean {
  return gc.objectsDeleted > 0 || gc.itemsDeleted > 0 || gc.deadPartitions > 0
}
