import pMap from 'p-map'
import type { IndexRewriter } from '../storage/ports/index-rewrite.ts'
import type {
  PartitionHead,
  PartitionHeads,
  SegmentEntry,
  SegmentIndex,
} from '../storage/ports/log.ts'
import type { ObjectStore } from '../storage/ports/objects.ts'
import type { TopicItem } from '../storage/ports/topics.ts'
import type { Budget } from './budget.ts'
import type { MaintenanceOptions } from './options.ts'
import type { PartitionLease } from './partition-lease.ts'

/** What every partition task works with. */
export interface MaintenanceContext {
  readonly objects: ObjectStore
  readonly segments: SegmentIndex
  readonly heads: PartitionHeads
  readonly rewriter: IndexRewriter
  readonly options: MaintenanceOptions
}

/** One partition under a held lease, and the time left. */
export interface PartitionWork {
  readonly topic: TopicItem
  readonly partition: number
  readonly lease: PartitionLease
  readonly budget: Budget
}

/** A partition's head and every index entry it has, in offset order. */
export interface PartitionView {
  readonly head: PartitionHead
  readonly entries: readonly SegmentEntry[]
}

export async function readView(
  context: MaintenanceContext,
  topicId: string,
  partition: number,
): Promise<PartitionView> {
  const head = await context.heads.readOne(topicId, partition)
  const entries: SegmentEntry[] = []
  for await (const entry of context.segments.scan(topicId, partition)) entries.push(entry)
  return { head, entries }
}

/** The entries from the log start on: below it are only those retention has yet to delete. */
export function liveEntries(view: PartitionView): SegmentEntry[] {
  return view.entries.filter((entry) => entry.baseOffset >= view.head.logStartOffset)
}

/** The bytes of every entry given, fetched a few at a time. */
export function fetchEntries(
  context: MaintenanceContext,
  entries: readonly SegmentEntry[],
): Promise<Uint8Array[]> {
  return pMap(
    entries,
    (entry) => context.objects.getRange(entry.objectKey, entry.byteOffset, entry.byteLength),
    { concurrency: context.options.fetchConcurrency },
  )
}

/** Each entry with its bytes, in order, fetching one window ahead at a time to bound memory. */
export async function* streamEntries(
  context: MaintenanceContext,
  entries: readonly SegmentEntry[],
): AsyncGenerator<readonly [SegmentEntry, Uint8Array]> {
  const window = context.options.fetchConcurrency
  for (let i = 0; i < entries.length; i += window) {
    const slice = entries.slice(i, i + window)
    const bytes = await fetchEntries(context, slice)
    for (const [j, entry] of slice.entries()) yield [entry, bytes[j] as Uint8Array]
  }
}
