import { partitionKey } from '../keys.ts'
import {
  checkRemoval,
  checkReplacement,
  IndexChangedError,
  type IndexRewriter,
} from '../ports/index-rewrite.ts'
import { type HeldLease, LeaseLostError } from '../ports/leases.ts'
import type { SegmentEntry } from '../ports/log.ts'
import type { MemoryLeaseTable } from './lease-table.ts'
import type { MemoryLogState } from './log-state.ts'

/** Whether the stored entry is still the one read: the fields that say where its bytes are. */
function unchanged(stored: SegmentEntry | undefined, read: SegmentEntry): boolean {
  return (
    stored !== undefined &&
    stored.objectKey === read.objectKey &&
    stored.byteOffset === read.byteOffset &&
    stored.lastOffset === read.lastOffset
  )
}

/**
 * Index rewrites on a MemoryLogState, fenced by a MemoryLeaseTable. Each one
 * checks the lease and then every entry or head it changes before it applies
 * anything, all in one synchronous step, so it is as atomic as a transaction.
 */
export class MemoryIndexRewriter implements IndexRewriter {
  constructor(
    private readonly log: MemoryLogState,
    private readonly leases: MemoryLeaseTable,
  ) {}

  async replace(
    lease: HeldLease,
    topicId: string,
    partition: number,
    replaced: readonly SegmentEntry[],
    replacement: SegmentEntry,
  ): Promise<void> {
    checkReplacement(replaced, replacement)
    const segments = this.unchangedSegments(lease, partitionKey(topicId, partition), replaced)
    for (const entry of replaced) segments.delete(entry.baseOffset)
    segments.set(replacement.baseOffset, structuredClone(replacement))
  }

  async remove(
    lease: HeldLease,
    topicId: string,
    partition: number,
    removed: readonly SegmentEntry[],
  ): Promise<void> {
    checkRemoval(removed)
    const segments = this.unchangedSegments(lease, partitionKey(topicId, partition), removed)
    for (const entry of removed) segments.delete(entry.baseOffset)
  }

  async advanceLogStart(
    lease: HeldLease,
    topicId: string,
    partition: number,
    logStartOffset: number,
  ): Promise<void> {
    this.fence(lease)
    const key = partitionKey(topicId, partition)
    const head = this.log.heads.get(key)
    if (!head || head.logStartOffset >= logStartOffset || head.logEndOffset < logStartOffset) {
      throw new IndexChangedError(
        `The head of ${key} cannot move its log start to ${logStartOffset}`,
      )
    }
    this.log.heads.set(key, { ...head, logStartOffset })
  }

  private fence(lease: HeldLease): void {
    if (!this.leases.holds(lease)) throw new LeaseLostError(lease.partitionKey)
  }

  /** The partition's entries, once the lease and every entry read are found unchanged. */
  private unchangedSegments(
    lease: HeldLease,
    key: string,
    read: readonly SegmentEntry[],
  ): Map<number, SegmentEntry> {
    this.fence(lease)
    const segments = this.log.segments.get(key)
    const changed = read.filter((entry) => !unchanged(segments?.get(entry.baseOffset), entry))
    if (!segments || changed.length > 0) {
      const offsets = changed.map((entry) => entry.baseOffset).join(', ')
      throw new IndexChangedError(`The index of ${key} changed under a rewrite (at ${offsets})`)
    }
    return segments
  }
}
