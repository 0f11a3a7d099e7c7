import {
  encodeFormatRuns,
  formatRunsLengthBound,
  MAX_FORMAT_RUNS_LENGTH,
} from '../broker/payload-formats.ts'
import { hasCleanupPolicy, topicConfigValue } from '../broker/topic-configs.ts'
import { recordSizeInBatch } from '../log/record-batch.ts'
import { type TimestampRange, timestampRange } from '../log/timestamp-range.ts'
import { OFFSET_INDEX_STRIDE_BYTES } from '../storage/offset-index.ts'
import { MAX_ENTRIES_PER_REWRITE } from '../storage/ports/index-rewrite.ts'
import type { MaintenanceState } from '../storage/ports/leases.ts'
import type { SegmentEntry } from '../storage/ports/log.ts'
import type { TopicItem } from '../storage/ports/topics.ts'
import { encodeCompactedSpan } from './compacted-batches.ts'
import {
  liveEntries,
  type MaintenanceContext,
  type PartitionView,
  type PartitionWork,
  readView,
  streamEntries,
} from './context.ts'
import { mergeLimits } from './merge.ts'
import type { MaintenanceOptions } from './options.ts'
import type { TaskReport } from './report.ts'
import { type LoggedRecord, loggedRecords } from './segment-bytes.ts'
import { installSegment } from './segment-writer.ts'

/** The topic configs compaction honours, as numbers. */
export interface CompactionConfig {
  readonly minCompactionLagMs: number
  readonly maxCompactionLagMs: number
  readonly minCleanableDirtyRatio: number
  readonly deleteRetentionMs: number
  /** The size segments are filled to (segment.bytes, or maintenance's smaller target): the active head's bound. */
  readonly segmentBytes: number
  /** segment.ms: an entry appended this long ago has left the active head. */
  readonly segmentMs: number
}

export function compactionConfig(topic: TopicItem, options: MaintenanceOptions): CompactionConfig {
  const value = (name: Parameters<typeof topicConfigValue>[1]) =>
    Number(topicConfigValue(topic.configs, name))
  return {
    minCompactionLagMs: value('min.compaction.lag.ms'),
    maxCompactionLagMs: value('max.compaction.lag.ms'),
    minCleanableDirtyRatio: value('min.cleanable.dirty.ratio'),
    deleteRetentionMs: value('delete.retention.ms'),
    segmentBytes: mergeLimits(topic, options).targetBytes,
    segmentMs: value('segment.ms'),
  }
}

/**
 * Where the active head starts: Kafka never cleans the segment it is still
 * appending to. Sluice appends index entries rather than filling segment
 * files, so its head is what Kafka would still hold in that segment: the
 * newest entries, up to `segmentBytes` of them (the newest entry always), that
 * were appended less than `segment.ms` ago. Kafka also rolls a segment whose
 * records wait longer than `max.compaction.lag.ms`. Append times are the
 * broker's (`createdAt`), never a producer's timestamps.
 */
function activeHeadStart(
  entries: readonly SegmentEntry[],
  config: CompactionConfig,
  now: number,
): number {
  const rollMs = Math.min(config.segmentMs, config.maxCompactionLagMs)
  let start = entries.length
  let bytes = 0
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as SegmentEntry
    if (now - entry.createdAt >= rollMs) break
    if (start < entries.length && bytes + entry.byteLength > config.segmentBytes) break
    bytes += entry.byteLength
    start = i
  }
  return start
}

export interface CompactionPlan {
  /** The closed part of the log, from its start: the entries a pass rewrites. */
  readonly cleanable: readonly SegmentEntry[]
  /** Its entries not yet compacted (at or after the checkpoint): their keys decide what survives. */
  readonly dirty: readonly SegmentEntry[]
  /** The first offset after the cleanable part: the next checkpoint. */
  readonly cleanableEnd: number
  readonly dirtyRatio: number
  readonly due: boolean
}

/**
 * Kafka's cleaner, per partition: the cleanable part runs from the log start
 * up to the active head, or to the first entry holding a record younger than
 * `min.compaction.lag.ms` if that comes first (cut to at most `maxDirtyBytes`
 * of dirty entries); a pass is due when dirty bytes make up more than
 * `min.cleanable.dirty.ratio` of it, when a dirty record is older than
 * `max.compaction.lag.ms`, or when kept tombstones have reached their delete horizon.
 */
export function planCompaction(
  entries: readonly SegmentEntry[],
  state: MaintenanceState,
  config: CompactionConfig,
  now: number,
  maxDirtyBytes: number,
): CompactionPlan {
  const cleanOffset = state.cleanOffset ?? 0
  const cleanable: SegmentEntry[] = []
  let cleanBytes = 0
  let dirtyBytes = 0
  for (const entry of entries.slice(0, activeHeadStart(entries, config, now))) {
    if (entry.maxTimestamp > now - config.minCompactionLagMs) break
    if (entry.lastOffset < cleanOffset) {
      cleanBytes += entry.byteLength
    } else {
      if (dirtyBytes > 0 && dirtyBytes + entry.byteLength > maxDirtyBytes) break
      dirtyBytes += entry.byteLength
    }
    cleanable.push(entry)
  }
  const dirty = cleanable.filter((entry) => entry.lastOffset >= cleanOffset)
  const dirtyRatio = dirtyBytes === 0 ? 0 : dirtyBytes / (cleanBytes + dirtyBytes)
  const oldestDirty = dirty.reduce(
    (oldest, entry) => Math.min(oldest, entry.minTimestamp),
    Number.POSITIVE_INFINITY,
  )
  const due =
    cleanable.length > 0 &&
    ((dirty.length > 0 && dirtyRatio > config.minCleanableDirtyRatio) ||
      (dirty.length > 0 && now - oldestDirty > config.maxCompactionLagMs) ||
      cleanable.some((entry) => entry.deleteHorizon !== undefined && entry.deleteHorizon <= now))
  const last = cleanable.at(-1)
  return {
    cleanable,
    dirty,
    cleanableEnd: last ? last.lastOffset + 1 : (entries[0]?.baseOffset ?? 0),
    dirtyRatio,
    due,
  }
}

export function compactionDue(
  view: PartitionView,
  topic: TopicItem,
  state: MaintenanceState,
  options: MaintenanceOptions,
): boolean {
  if (!hasCleanupPolicy(topic.configs, 'compact')) return false
  const config = compactionConfig(topic, options)
  return planCompaction(liveEntries(view), state, config, options.clock(), options.maxDirtyBytes)
    .due
}

/** Keys as map keys: latin1 maps each byte to one character and back. */
function keyOf(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1')
}

/** Entries being folded into one compacted segment, and what survives of them. */
interface PendingSegment {
  readonly replaced: SegmentEntry[]
  readonly survivors: LoggedRecord[]
  bytes: number
  /** At most the length of the survivors' format runs. */
  formatsLength: number
  dropped: number
  /** The delete horizon of the tombstones among the survivors; a segment holds tombstones of one. */
  deleteHorizon: number | undefined
}

function emptyPending(): PendingSegment {
  return {
    replaced: [],
    survivors: [],
    bytes: 0,
    formatsLength: 0,
    dropped: 0,
    deleteHorizon: undefined,
  }
}

/** The timestamps of what survives, or, when nothing does, of what the segment covers. */
function survivorTimestamps({ survivors, replaced }: PendingSegment): TimestampRange {
  return survivors.length > 0
    ? timestampRange(survivors.map((record) => record.timestamp))
    : timestampRange(replaced.flatMap((entry) => [entry.minTimestamp, entry.maxTimestamp]))
}

/**
 * Keeps the latest record of each key in the closed part of the log (Kafka's
 * `cleanup.policy=compact`). Records keep their offsets and order; a removed
 * offset reads from the next surviving one. Records without a key are
 * dropped, as Kafka's cleaner drops them. A tombstone (null value) stays until
 * its delete horizon, `delete.retention.ms` after the pass that first kept it
 * (Kafka's KIP-534): consumers that read the log in that time learn of the
 * deletion, whatever timestamp the producer gave the tombstone. The horizon
 * is kept on the index entry of the segment holding the tombstone.
 */
export async function compact(
  context: MaintenanceContext,
  work: PartitionWork,
): Promise<TaskReport> {
  const { topic, partition, lease, budget } = work
  const { clock, maxDirtyBytes } = context.options
  const now = clock()
  const config = compactionConfig(topic, context.options)
  const view = await readView(context, topic.topicId, partition)
  const plan = planCompaction(liveEntries(view), lease.state, config, now, maxDirtyBytes)
  let entriesAfter = view.entries.length
  let segmentsWritten = 0
  let bytesRewritten = 0
  let bytesWritten = 0
  let recordsDropped = 0
  const report = (complete: boolean): TaskReport => ({
    entriesBefore: view.entries.length,
    entriesAfter,
    segmentsWritten,
    bytesRewritten,
    bytesWritten,
    recordsDropped,
    complete,
  })
  if (!plan.due) return report(true)

  // The latest offset of every key in the dirty part; earlier records of those keys are superseded.
  const latest = new Map<string, number>()
  for await (const [entry, bytes] of streamEntries(context, plan.dirty)) {
    if (budget.exhausted) return report(false)
    await lease.keepAlive()
    for (const record of loggedRecords(entry, bytes)) {
      if (record.key !== null) latest.set(keyOf(record.key), record.offset)
    }
  }

  const survives = (record: LoggedRecord, deleteHorizon: number): boolean => {
    if (record.key === null) return false
    if ((latest.get(keyOf(record.key)) ?? record.offset) > record.offset) return false
    return record.value !== null || deleteHorizon > now
  }

  const { targetBytes } = mergeLimits(topic, context.options)
  // Batches no larger than the offset index's stride give it a batch start to point at
  // every stride, so a read range-GETs part of a compacted segment as of a merged one.
  const maxBatchBytes = Math.min(
    Number(topicConfigValue(topic.configs, 'max.message.bytes')),
    OFFSET_INDEX_STRIDE_BYTES,
  )
  const flush = async (pending: PendingSegment) => {
    const [first] = pending.replaced
    if (!first) return
    if (pending.replaced.length === 1 && pending.dropped === 0) {
      // One entry that lost nothing is already as compact as it gets; it may only need its horizon noted.
      if (pending.deleteHorizon === first.deleteHorizon) return
      const entry = { ...first, deleteHorizon: pending.deleteHorizon as number }
      await context.rewriter.replace(lease, topic.topicId, partition, [first], entry)
      return
    }
    const last = pending.replaced.at(-1) as SegmentEntry
    const segment = await installSegment(context, work, pending.replaced, {
      bytes: encodeCompactedSpan(
        {
          baseOffset: first.baseOffset,
          lastOffset: last.lastOffset,
          survivors: pending.survivors,
          maxTimestamp: timestampRange(pending.replaced.map((entry) => entry.maxTimestamp))
            .maxTimestamp,
        },
        maxBatchBytes,
      ),
      recordCount: pending.survivors.length,
      ...survivorTimestamps(pending),
      formats: encodeFormatRuns(pending.survivors.map((record) => record.formats)),
      ...(pending.deleteHorizon !== undefined && { deleteHorizon: pending.deleteHorizon }),
    })
    entriesAfter -= pending.replaced.length - 1
    segmentsWritten++
    bytesRewritten += pending.replaced.reduce((sum, entry) => sum + entry.byteLength, 0)
    bytesWritten += segment.byteLength
    recordsDropped += pending.dropped
  }

  let pending = emptyPending()
  for await (const [entry, bytes] of streamEntries(context, plan.cleanable)) {
    const records = loggedRecords(entry, bytes)
    const deleteHorizon = entry.deleteHorizon ?? now + config.deleteRetentionMs
    const kept = records.filter((record) => survives(record, deleteHorizon))
    const keptHorizon = kept.some((record) => record.value === null) ? deleteHorizon : undefined
    const keptBytes = kept.reduce((sum, record) => sum + recordSizeInBatch(record, 0, 0), 0)
    const formatsLength = formatRunsLengthBound(entry.formats, entry.recordCount)
    const full =
      pending.bytes + keptBytes > targetBytes ||
      pending.replaced.length >= MAX_ENTRIES_PER_REWRITE ||
      pending.formatsLength + formatsLength > MAX_FORMAT_RUNS_LENGTH ||
      (keptHorizon !== undefined &&
        pending.deleteHorizon !== undefined &&
        keptHorizon !== pending.deleteHorizon)
    if (pending.replaced.length > 0 && full) {
      if (budget.exhausted) return report(false)
      await flush(pending)
      pending = emptyPending()
    }
    pending.replaced.push(entry)
    // One by one: an entry can hold more records than a call may take arguments.
    for (const record of kept) pending.survivors.push(record)
    pending.bytes += keptBytes
    pending.formatsLength += formatsLength
    pending.dropped += records.length - kept.length
    pending.deleteHorizon ??= keptHorizon
  }
  if (budget.exhausted) return report(false)
  await flush(pending)
  await lease.recordCompaction(plan.cleanableEnd)
  return report(true)
}
