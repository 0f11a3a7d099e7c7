import type { LogInventory, SegmentReference } from '../ports/log-inventory.ts'
import type { MemoryLeaseTable } from './lease-table.ts'
import type { MemoryLogState } from './log-state.ts'

/** The log's memory tables as garbage collection sees them. */
export class MemoryLogInventory implements LogInventory {
  constructor(
    private readonly log: MemoryLogState,
    private readonly leases: MemoryLeaseTable,
  ) {}

  async *references(): AsyncGenerator<SegmentReference> {
    for (const [partitionKey, segments] of this.log.segments) {
      for (const { baseOffset, objectKey } of segments.values()) {
        yield { partitionKey, baseOffset, objectKey }
      }
    }
  }

  async *partitionKeys(): AsyncGenerator<string> {
    yield* this.log.heads.keys()
    yield* this.leases.records.keys()
  }

  async purge(partitionKey: string, baseOffsets: readonly number[]): Promise<void> {
    const segments = this.log.segments.get(partitionKey)
    for (const baseOffset of baseOffsets) segments?.delete(baseOffset)
    this.log.heads.delete(partitionKey)
    this.leases.records.delete(partitionKey)
  }
}
