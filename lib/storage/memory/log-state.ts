import type { PartitionHead, SegmentEntry } from '../ports/log.ts'

/**
 * The log's tables, held in memory: the partition heads and the segment index.
 * The memory engine's log, producer and maintenance stores share one of these,
 * as the DynamoDB engine's stores share tables, so a commit and a rewrite see
 * each other's writes and can be made atomic together.
 */
export class MemoryLogState {
  /** Heads by partition key; a partition never written has none. */
  readonly heads = new Map<string, PartitionHead>()
  /** Each partition's index entries, by partition key and then base offset. */
  readonly segments = new Map<string, Map<number, SegmentEntry>>()

  /** The partition's index entries in offset order. */
  entries(partitionKey: string): SegmentEntry[] {
    const entries = [...(this.segments.get(partitionKey)?.values() ?? [])]
    return entries.sort((a, b) => a.baseOffset - b.baseOffset)
  }
}
