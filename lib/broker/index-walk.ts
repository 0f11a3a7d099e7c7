import { type BackoffPolicy, backoff } from '../common/backoff.ts'
import { OffsetOutOfRangeError, RetriableStorageError } from '../errors.ts'
import type { PartitionHeads, SegmentEntry, SegmentIndex } from '../storage/ports/log.ts'

export interface IndexWalkSources {
  readonly segments: SegmentIndex
  readonly heads: PartitionHeads
}

/** How often a lookup that met a half-visible rewrite is tried again before the read gives up. */
const HOLE_RETRIES = 5
const HOLE_BACKOFF: BackoffPolicy = { baseMs: 10, capMs: 200 }

/**
 * A partition's index entries in offset order, from the one holding `from` to
 * the last one: each yielded entry holds the offset after the previous one's
 * last, so entries never overlap and no offset between them is missed.
 *
 * Maintenance replaces runs of entries by one entry covering the same offsets,
 * keyed by the first one's base offset. Following base offsets from one query
 * to the next would skip the offsets of a run merged in between (or see them
 * twice); so whenever a page does not continue exactly where the last entry
 * ended, the entry holding the next offset is looked up afresh.
 *
 * The index covers every offset from the log start to the log end (compaction
 * keeps the span of what it removes). A hole therefore means either that
 * retention dropped the offset, and the log start has passed it: out of range;
 * or that a rewrite is half visible, since a Query is only read-committed
 * across the items of a transaction: the lookup is tried again.
 *
 * `holder`, an entry lately seen to hold `from`, is yielded without a lookup:
 * its bytes are immutable, and should they be gone the reader looks again.
 */
export async function* walkIndex(
  sources: IndexWalkSources,
  topicId: string,
  partition: number,
  from: number,
  pageSize: number,
  holder?: SegmentEntry,
): AsyncGenerator<SegmentEntry> {
  let next = from
  if (holder && holder.baseOffset <= from && from <= holder.lastOffset) {
    yield holder
    next = holder.lastOffset + 1
  }
  let page: SegmentEntry[] = []
  for (;;) {
    // Entries of an older page that a rewrite has since folded into the one just yielded.
    while (page[0] && page[0].lastOffset < next) page.shift()
    if (page[0]?.baseOffset !== next) {
      page = await locate(sources, topicId, partition, next, pageSize)
    }
    const entry = page.shift()
    if (entry === undefined) return
    yield entry
    next = entry.lastOffset + 1
  }
}

/** The entry holding `next` and up to `pageSize` entries after it; empty past the last entry. */
async function locate(
  { segments, heads }: IndexWalkSources,
  topicId: string,
  partition: number,
  next: number,
  pageSize: number,
): Promise<SegmentEntry[]> {
  for (let attempt = 0; ; attempt++) {
    const page = await segments.after(topicId, partition, next - 1, pageSize)
    if (page[0]?.baseOffset === next) return page
    const holder = await segments.floor(topicId, partition, next)
    if (holder && holder.lastOffset >= next) {
      return [holder, ...page.filter((entry) => entry.baseOffset > holder.lastOffset)]
    }
    if (page.length === 0) return []
    const head = await heads.readOne(topicId, partition)
    if (next < head.logStartOffset) {
      throw new OffsetOutOfRangeError(next, head.logStartOffset, head.logEndOffset)
    }
    if (attempt >= HOLE_RETRIES) {
      throw new RetriableStorageError(
        `Partition ${partition} has no index entry for offset ${next} while later ones exist; retry the read.`,
      )
    }
    await backoff(attempt, HOLE_BACKOFF)
  }
}
