import {
  decodeFormatRuns,
  encodeFormatRuns,
  formatRunsLengthBound,
  MAX_FORMAT_RUNS_LENGTH,
} from '../broker/payload-formats.ts'
import { topicConfigValue } from '../broker/topic-configs.ts'
import { timestampRange } from '../log/timestamp-range.ts'
import { MAX_ENTRIES_PER_REWRITE } from '../storage/ports/index-rewrite.ts'
import type { SegmentEntry } from '../storage/ports/log.ts'
import type { TopicItem } from '../storage/ports/topics.ts'
import {
  fetchEntries,
  liveEntries,
  type MaintenanceContext,
  type PartitionView,
  type PartitionWork,
  readView,
} from './context.ts'
import type { MaintenanceOptions } from './options.ts'
import type { TaskReport } from './report.ts'
import { rebasedBatches } from './segment-bytes.ts'
import { installSegment } from './segment-writer.ts'

export interface MergeLimits {
  /** A merged segment holds at most this many bytes. */
  readonly targetBytes: number
  /** Entries one rewrite can replace. */
  readonly maxEntries: number
  /** The widest range of record timestamps one segment may span (Kafka's segment.ms). */
  readonly spanMs: number
  /** The longest format runs one segment's index item may hold. */
  readonly maxFormatRunsLength: number
}

export function mergeLimits(topic: TopicItem, options: MaintenanceOptions): MergeLimits {
  return {
    targetBytes: Math.min(
      options.targetSegmentBytes,
      Number(topicConfigValue(topic.configs, 'segment.bytes')),
    ),
    maxEntries: MAX_ENTRIES_PER_REWRITE,
    spanMs: Number(topicConfigValue(topic.configs, 'segment.ms')),
    maxFormatRunsLength: MAX_FORMAT_RUNS_LENGTH,
  }
}

/**
 * Runs of consecutive entries worth merging, each into one segment within the
 * limits (bytes, entries, time span, format runs its index item can hold),
 * and holding tombstones of one delete horizon at most. An entry already at
 * the target size is left alone, and so is one
 * larger than everything that would follow it in its run: a segment is
 * rewritten only once at least as many bytes join it, so each byte is
 * rewritten a logarithmic number of times rather than at every merge.
 */
export function planMerges(
  entries: readonly SegmentEntry[],
  limits: MergeLimits,
): SegmentEntry[][] {
  const runs: SegmentEntry[][] = []
  let run: SegmentEntry[] = []
  let bytes = 0
  let formatsLength = 0
  let minTimestamp = Number.POSITIVE_INFINITY
  let maxTimestamp = Number.NEGATIVE_INFINITY
  const close = () => {
    let following = bytes
    let start = 0
    for (; start < run.length; start++) {
      const size = (run[start] as SegmentEntry).byteLength
      following -= size
      if (size <= following) break
    }
    if (run.length - start >= 2) runs.push(run.slice(start))
    run = []
    bytes = 0
    formatsLength = 0
    minTimestamp = Number.POSITIVE_INFINITY
    maxTimestamp = Number.NEGATIVE_INFINITY
  }
  for (const entry of entries) {
    if (entry.byteLength >= limits.targetBytes) {
      close()
      continue
    }
    const span =
      Math.max(maxTimestamp, entry.maxTimestamp) - Math.min(minTimestamp, entry.minTimestamp)
    const formats = formatRunsLengthBound(entry.formats, entry.recordCount)
    const full =
      bytes + entry.byteLength > limits.targetBytes ||
      run.length >= limits.maxEntries ||
      span > limits.spanMs ||
      formatsLength + formats > limits.maxFormatRunsLength ||
      entry.deleteHorizon !== run[0]?.deleteHorizon
    if (run.length > 0 && full) close()
    run.push(entry)
    bytes += entry.byteLength
    formatsLength += formats
    minTimestamp = Math.min(minTimestamp, entry.minTimestamp)
    maxTimestamp = Math.max(maxTimestamp, entry.maxTimestamp)
  }
  close()
  return runs
}

export function mergeDue(
  view: PartitionView,
  topic: TopicItem,
  options: MaintenanceOptions,
): boolean {
  return planMerges(liveEntries(view), mergeLimits(topic, options)).length > 0
}

/**
 * Merges runs of small entries into per-partition segments: the batches are
 * copied as they are, with their real base offsets patched in, so the bytes
 * stay Kafka RecordBatch v2 and every record keeps its offset.
 */
export async function merge(context: MaintenanceContext, work: PartitionWork): Promise<TaskReport> {
  const { topic, partition, budget } = work
  const view = await readView(context, topic.topicId, partition)
  const runs = planMerges(liveEntries(view), mergeLimits(topic, context.options))
  let entriesAfter = view.entries.length
  let segmentsWritten = 0
  let bytesRewritten = 0
  let bytesWritten = 0
  const report = (complete: boolean): TaskReport => ({
    entriesBefore: view.entries.length,
    entriesAfter,
    segmentsWritten,
    bytesRewritten,
    bytesWritten,
    recordsDropped: 0,
    complete,
  })
  for (const run of runs) {
    if (budget.exhausted) return report(false)
    const bytes = await fetchEntries(context, run)
    const segment = await installSegment(context, work, run, {
      bytes: Buffer.concat(
        run.flatMap((entry, i) => rebasedBatches(entry, bytes[i] as Uint8Array)),
      ),
      recordCount: run.reduce((sum, entry) => sum + entry.recordCount, 0),
      ...timestampRange(run.flatMap((entry) => [entry.minTimestamp, entry.maxTimestamp])),
      formats: encodeFormatRuns(
        run.flatMap((entry) => decodeFormatRuns(entry.formats, entry.recordCount)),
      ),
      ...(run[0]?.deleteHorizon !== undefined && { deleteHorizon: run[0].deleteHorizon }),
    })
    entriesAfter -= run.length - 1
    segmentsWritten++
    bytesRewritten += run.reduce((sum, entry) => sum + entry.byteLength, 0)
    bytesWritten += segment.byteLength
  }
  return report(true)
}
