import { partitionKey } from '../keys.ts'
import { EMPTY_HEAD, type PartitionHead, type PartitionHeads } from '../ports/log.ts'
import type { MemoryLogState } from './log-state.ts'

/** The partition heads of a MemoryLogState. */
export class MemoryPartitionHeads implements PartitionHeads {
  constructor(private readonly log: MemoryLogState) {}

  async read(topicId: string, partitions: readonly number[]): Promise<Map<number, PartitionHead>> {
    return new Map(partitions.map((partition) => [partition, this.head(topicId, partition)]))
  }

  async readOne(topicId: string, partition: number): Promise<PartitionHead> {
    return this.head(topicId, partition)
  }

  private head(topicId: string, partition: number): PartitionHead {
    return structuredClone(this.log.heads.get(partitionKey(topicId, partition)) ?? EMPTY_HEAD)
  }
}
