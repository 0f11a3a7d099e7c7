import type { HeldLease } from './leases.ts'
import type { SegmentEntry } from './log.ts'

/** DynamoDB caps a transaction at 100 items, and the lease's fence takes one of them. */
export const MAX_ENTRIES_PER_REWRITE = 99

/** An entry a rewrite meant to replace is no longer what was read. Nothing was written. */
export class IndexChangedError extends Error {
  override readonly name = 'IndexChangedError'
}

/**
 * Changes to a partition's index made under its lease. Each is atomic and
 * conditioned on the lease (LeaseLostError, checked first) and on the exact
 * entries or head it changes (IndexChangedError): a run that lost its lease,
 * or that read an index someone else has changed since, changes nothing.
 */
export interface IndexRewriter {
  /**
   * Puts `replacement` in place of consecutive entries that it covers exactly,
   * under the first one's base offset: a reader finds the same offsets either way.
   */
  replace(
    lease: HeldLease,
    topicId: string,
    partition: number,
    replaced: readonly SegmentEntry[],
    replacement: SegmentEntry,
  ): Promise<void>
  /** Deletes entries below the log start. */
  remove(
    lease: HeldLease,
    topicId: string,
    partition: number,
    removed: readonly SegmentEntry[],
  ): Promise<void>
  /** Moves the partition's log start forward to `logStartOffset`; never back, never past the end. */
  advanceLogStart(
    lease: HeldLease,
    topicId: string,
    partition: number,
    logStartOffset: number,
  ): Promise<void>
}

/** Throws unless `replacement` may stand in for `replaced` in one rewrite. */
export function checkReplacement(
  replaced: readonly SegmentEntry[],
  replacement: SegmentEntry,
): asserts replaced is readonly [SegmentEntry, ...SegmentEntry[]] {
  const first = replaced[0]
  const last = replaced.at(-1)
  if (!first || !last || replaced.length > MAX_ENTRIES_PER_REWRITE) {
    throw new RangeError(`A rewrite replaces 1 to ${MAX_ENTRIES_PER_REWRITE} entries`)
  }
  if (replacement.baseOffset !== first.baseOffset || replacement.lastOffset !== last.lastOffset) {
    throw new RangeError('A replacement must cover exactly the offsets of the entries it replaces')
  }
}

/** Throws unless `removed` may go in one rewrite. */
export function checkRemoval(removed: readonly SegmentEntry[]): void {
  if (removed.length === 0 || removed.length > MAX_ENTRIES_PER_REWRITE) {
    throw new RangeError(`A rewrite removes 1 to ${MAX_ENTRIES_PER_REWRITE} entries`)
  }
}
