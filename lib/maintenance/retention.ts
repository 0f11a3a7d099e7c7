import { hasCleanupPolicy, topicConfigValue } from '../broker/topic-configs.ts'
import { MAX_ENTRIES_PER_REWRITE } from '../storage/ports/index-rewrite.ts'
import type { PartitionHead, SegmentEntry } from '../storage/ports/log.ts'
import type { TopicItem } from '../storage/ports/topics.ts'
import {
  type MaintenanceContext,
  type PartitionView,
  type PartitionWork,
  readView,
} from './context.ts'
import type { TaskReport } from './report.ts'

export interface RetentionPlan {
  /** The new log start: never below the current one. */
  readonly logStartOffset: number
  /** Whole entries to delete, all below the new log start. */
  readonly dropped: readonly SegmentEntry[]
}

/**
 * Kafka's retention for `cleanup.policy` with `delete`: whole entries are
 * dropped from the start of the log while their newest record is older than
 * `retention.ms`, or while the partition would still hold at least
 * `retention.bytes` without them (-1 turns either off). Entries already below
 * the log start, left by a run that stopped after moving it, go whatever the policy.
 */
export function planRetention(
  entries: readonly SegmentEntry[],
  head: PartitionHead,
  topic: TopicItem,
  now: number,
): RetentionPlan {
  const stale = entries.filter((entry) => entry.lastOffset < head.logStartOffset)
  const live = entries.filter((entry) => entry.baseOffset >= head.logStartOffset)
  if (!hasCleanupPolicy(topic.configs, 'delete')) {
    return { logStartOffset: head.logStartOffset, dropped: stale }
  }
  const retentionMs = Number(topicConfigValue(topic.configs, 'retention.ms'))
  const retentionBytes = Number(topicConfigValue(topic.configs, 'retention.bytes'))
  let bytes = live.reduce((sum, entry) => sum + entry.byteLength, 0)
  let count = 0
  for (const entry of live) {
    const expired = retentionMs >= 0 && entry.maxTimestamp < now - retentionMs
    const excess = retentionBytes >= 0 && bytes - entry.byteLength >= retentionBytes
    if (!expired && !excess) break
    bytes -= entry.byteLength
    count++
  }
  const lastDropped = live[count - 1]
  return {
    logStartOffset: lastDropped ? lastDropped.lastOffset + 1 : head.logStartOffset,
    dropped: [...stale, ...live.slice(0, count)],
  }
}

export function retentionDue(view: PartitionView, topic: TopicItem, now: number): boolean {
  return planRetention(view.entries, view.head, topic, now).dropped.length > 0
}

/**
 * Moves the log start past the dropped entries first, then deletes them: a
 * reader below the new start gets the out-of-range error rather than a hole,
 * and a run stopped between the two leaves entries below the start that the
 * next run deletes.
 */
export async function retain(
  context: MaintenanceContext,
  work: PartitionWork,
): Promise<TaskReport> {
  const { topic, partition, lease, budget } = work
  const view = await readView(context, topic.topicId, partition)
  const plan = planRetention(view.entries, view.head, topic, context.options.clock())
  const before = view.head.logStartOffset
  if (plan.logStartOffset > before) {
    await context.rewriter.advanceLogStart(lease, topic.topicId, partition, plan.logStartOffset)
  }
  let deleted = 0
  let recordsDropped = 0
  const report = (complete: boolean): TaskReport => ({
    entriesBefore: view.entries.length,
    entriesAfter: view.entries.length - deleted,
    segmentsWritten: 0,
    bytesRewritten: 0,
    bytesWritten: 0,
    recordsDropped,
    logStartOffset: { before, after: plan.logStartOffset },
    complete,
  })
  for (let i = 0; i < plan.dropped.length; i += MAX_ENTRIES_PER_REWRITE) {
    if (budget.exhausted) return report(false)
    await lease.keepAlive()
    const chunk = plan.dropped.slice(i, i + MAX_ENTRIES_PER_REWRITE)
    await context.rewriter.remove(lease, topic.topicId, partition, chunk)
    deleted += chunk.length
    recordsDropped += chunk.reduce((sum, entry) => sum + entry.recordCount, 0)
  }
  return report(true)
}
