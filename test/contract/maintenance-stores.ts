import type { IndexRewriter } from '../../lib/storage/ports/index-rewrite.ts'
import type { PartitionLeases } from '../../lib/storage/ports/leases.ts'
import type { PartitionHead, SegmentEntry } from '../../lib/storage/ports/log.ts'
import type { LogInventory } from '../../lib/storage/ports/log-inventory.ts'

/**
 * The log's heads and index as a contract lays them out and reads them back.
 * Contracts need states the log's committer never makes by itself (gaps that
 * compaction leaves, a log start past zero, an entry changed under a rewrite),
 * so each engine's test writes and reads its tables directly.
 */
export interface LogTables {
  putHead(partitionKey: string, head: PartitionHead): Promise<void>
  putEntry(partitionKey: string, entry: SegmentEntry): Promise<void>
  /** The stored head; undefined when the partition has none. */
  head(partitionKey: string): Promise<PartitionHead | undefined>
  /** The partition's entries in offset order. */
  entries(partitionKey: string): Promise<SegmentEntry[]>
}

/** Maintenance's stores of one engine, over one set of log tables. */
export interface MaintenanceStoresUnderTest {
  readonly leases: PartitionLeases
  readonly rewriter: IndexRewriter
  readonly inventory: LogInventory
  readonly log: LogTables
}

export type OpenMaintenanceStores = () => Promise<MaintenanceStoresUnderTest>

let topics = 0

/** A topic id no other test of the run uses, so tests can share tables. */
export function freshTopicId(): string {
  return `contract-${process.pid}-${Date.now().toString(36)}-${++topics}`
}

/** An index entry for offsets `base` to `last`, its bytes at the start of `objectKey`. */
export function segmentEntry(base: number, last: number, objectKey: string): SegmentEntry {
  return {
    baseOffset: base,
    lastOffset: last,
    recordCount: last - base + 1,
    objectKey,
    byteOffset: 0,
    byteLength: 100 * (last - base + 1),
    minTimestamp: 1_000 + base,
    maxTimestamp: 1_000 + last,
    formats: '',
    createdAt: 1_000,
  }
}
