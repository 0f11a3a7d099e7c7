import { partitionKey } from '../keys.ts'
import { type SegmentEntry, type SegmentIndex, scanStart } from '../ports/log.ts'
import type { MemoryLogState } from './log-state.ts'

/** The segment index of a MemoryLogState. */
export class MemorySegmentIndex implements SegmentIndex {
  constructor(private readonly log: MemoryLogState) {}

  async floor(
    topicId: string,
    partition: number,
    offset: number,
  ): Promise<SegmentEntry | undefined> {
    const below = this.entries(topicId, partition).filter((entry) => entry.baseOffset <= offset)
    return structuredClone(below.at(-1))
  }

  async after(
    topicId: string,
    partition: number,
    offset: number,
    limit: number,
  ): Promise<SegmentEntry[]> {
    const above = this.entries(topicId, partition).filter((entry) => entry.baseOffset > offset)
    return structuredClone(above.slice(0, limit))
  }

  async *scan(topicId: string, partition: number, fromOffset = 0): AsyncGenerator<SegmentEntry> {
    const floor = await this.floor(topicId, partition, fromOffset)
    const start = scanStart(floor, fromOffset)
    for (const entry of this.entries(topicId, partition)) {
      if (entry.baseOffset >= start) yield structuredClone(entry)
    }
  }

  private entries(topicId: string, partition: number): SegmentEntry[] {
    return this.log.entries(partitionKey(topicId, partition))
  }
}
