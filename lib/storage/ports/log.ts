import type { ProducerIdentity } from '../producer-sequences.ts'
import type { ProducerStateWrite } from './producers.ts'

/** Where a partition's log starts and ends; the end is the next offset to be assigned. */
export interface PartitionHead {
  readonly logStartOffset: number
  readonly logEndOffset: number
}

export const EMPTY_HEAD: PartitionHead = { logStartOffset: 0, logEndOffset: 0 }

/**
 * One committed byte range of a partition's log. The bytes are RecordBatch v2
 * batches whose stored offsets are relative to the first batch: the absolute
 * offsets come from `baseOffset`, which is assigned only at commit.
 */
export interface SegmentEntry {
  readonly baseOffset: number
  readonly lastOffset: number
  readonly recordCount: number
  readonly objectKey: string
  readonly byteOffset: number
  readonly byteLength: number
  readonly minTimestamp: number
  readonly maxTimestamp: number
  /** Payload formats of the records, see lib/broker/payload-formats.ts. */
  readonly formats: string
  /**
   * Where batches start inside a segment written by maintenance, so a read can
   * range-GET part of it (offset-index.ts). Absent on ingest ranges and small segments.
   */
  readonly offsetIndex?: string
  /** When the oldest data of the entry was appended, by the broker's clock: a rewrite keeps the earliest of what it replaces. */
  readonly createdAt: number
  /**
   * When the tombstones the entry holds may be removed: `delete.retention.ms`
   * after the compaction pass that first kept them. Absent while no pass has.
   */
  readonly deleteHorizon?: number
}

/** The partitions' heads, read strongly consistent. */
export interface PartitionHeads {
  /** The heads of the given partitions; a never-written partition is empty. */
  read(topicId: string, partitions: readonly number[]): Promise<Map<number, PartitionHead>>
  readOne(topicId: string, partition: number): Promise<PartitionHead>
}

/** Each partition's committed ranges by base offset, read strongly consistent. */
export interface SegmentIndex {
  /** The entry whose base offset is the greatest one at or below `offset`, if any. */
  floor(topicId: string, partition: number, offset: number): Promise<SegmentEntry | undefined>
  /** Up to `limit` entries with base offsets strictly above `offset`, in offset order. */
  after(topicId: string, partition: number, offset: number, limit: number): Promise<SegmentEntry[]>
  /** The entries holding `fromOffset` and everything after it, in offset order. */
  scan(topicId: string, partition: number, fromOffset?: number): AsyncIterable<SegmentEntry>
}

/**
 * Where a scan from `fromOffset` starts, given the floor entry of `fromOffset`:
 * at that entry when it holds the offset, else at the offset itself.
 */
export function scanStart(floor: SegmentEntry | undefined, fromOffset: number): number {
  return floor && floor.lastOffset >= fromOffset ? floor.baseOffset : fromOffset
}

/** A range to append to one partition, at the log end offset its writer last read. */
export interface PartitionAppend {
  readonly partition: number
  readonly entry: SegmentEntry
}

/** The producer side of an idempotent commit. */
export interface ProducerCommit {
  readonly identity: ProducerIdentity
  /** One per append, for the same partitions. */
  readonly writes: readonly ProducerStateWrite[]
  /** Whether the producer's epoch must still be current (its first write to some partition). */
  readonly checkEpoch: boolean
}

/*
 * Commit sizes are DynamoDB's: it caps a transaction at 100 items. Every
 * engine refuses bigger commits, so the appender splits requests the same way
 * whichever engine it runs on.
 */

/** Each partition costs two items (head + index). */
export const MAX_PARTITIONS_PER_COMMIT = 50

/** A run of one partition's ranges costs its head plus an index item each. */
export const MAX_ENTRIES_PER_RUN = 99

/**
 * With a producer id each partition costs three (head, index, producer state),
 * plus one check of the producer's epoch: 3 × 33 + 1 = 100.
 */
export const MAX_IDEMPOTENT_PARTITIONS_PER_COMMIT = 33

/** Throws RangeError when a commit holds more partitions than a commit may. */
export function assertCommitFits(appends: readonly PartitionAppend[], idempotent: boolean): void {
  const limit = idempotent ? MAX_IDEMPOTENT_PARTITIONS_PER_COMMIT : MAX_PARTITIONS_PER_COMMIT
  if (appends.length > limit) throw new RangeError(`A commit holds at most ${limit} partitions`)
}

/** Throws RangeError when a run holds more ranges than a commit may. */
export function assertRunFits(entries: readonly SegmentEntry[]): void {
  if (entries.length > MAX_ENTRIES_PER_RUN) {
    throw new RangeError(`A run commits at most ${MAX_ENTRIES_PER_RUN} ranges`)
  }
}

/**
 * Another writer moved a partition head first, or the store saw a conflicting
 * commit. Nothing was written; the caller re-reads the heads and retries.
 */
export class CommitConflictError extends Error {
  override readonly name = 'CommitConflictError'
  constructor(
    readonly reasons: readonly string[],
    /**
     * The partitions whose head or index item conflicted, whose log ends the
     * caller no longer knows; none when only the producer's conditions failed.
     */
    readonly partitions: readonly number[] = [],
  ) {
    super(`Commit lost a race (${reasons.join(', ')})`)
  }
}

/**
 * Appends to the log atomically: every head moves from the expected end
 * offset and every index item is new, or nothing changes. Both methods throw
 * CommitConflictError when nothing was written because a condition failed,
 * and CommitOutcomeUnknownError when the answer never came, so the commit may
 * or may not have landed.
 */
export interface LogCommitter {
  /**
   * Commits appends to several partitions of one topic (at most
   * MAX_PARTITIONS_PER_COMMIT, or MAX_IDEMPOTENT_PARTITIONS_PER_COMMIT with a
   * producer). With `producer`, the producer's state on each partition moves
   * from exactly what was read, and its epoch must still be current when asked,
   * in the same commit.
   */
  commit(
    topicId: string,
    appends: readonly PartitionAppend[],
    now: number,
    producer?: ProducerCommit,
  ): Promise<void>
  /**
   * Commits consecutive ranges of one partition (at most MAX_ENTRIES_PER_RUN),
   * each its own index entry, moving the head once, from the first range's
   * base offset to past the last one's: several requests' appends committed together.
   */
  commitRun(
    topicId: string,
    partition: number,
    entries: readonly SegmentEntry[],
    now: number,
  ): Promise<void>
}
