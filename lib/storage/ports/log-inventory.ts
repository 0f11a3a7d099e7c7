/** An index entry as garbage collection sees it: where it is kept and which object it refers to. */
export interface SegmentReference {
  readonly partitionKey: string
  readonly baseOffset: number
  readonly objectKey: string
}

/**
 * What garbage collection reads of the log's stores, and how it clears away a
 * deleted topic's partitions. The listings are read as they go, not as one
 * snapshot: GC's grace period is what makes that safe (lib/maintenance/gc.ts).
 */
export interface LogInventory {
  /** Every index entry of every partition. */
  references(): AsyncIterable<SegmentReference>
  /** The key of every partition with a head or a lease, which outlive its index entries. */
  partitionKeys(): AsyncIterable<string>
  /**
   * Deletes the partition's entries at the given base offsets, its head and
   * its lease, unconditionally: whatever was absent stays absent.
   */
  purge(partitionKey: string, baseOffsets: readonly number[]): Promise<void>
}
