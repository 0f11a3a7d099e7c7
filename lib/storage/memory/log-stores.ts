import type { LogStores } from '../ports/log-stores.ts'
import { MemoryLogCommitter } from './log-commit.ts'
import { MemoryLogState } from './log-state.ts'
import { MemoryObjectStore } from './objects.ts'
import { MemoryPartitionHeads } from './partition-heads.ts'
import { MemoryProducerState } from './producer-state.ts'
import { MemoryProducerStore } from './producers.ts'
import { MemorySegmentIndex } from './segment-index.ts'
import { MemoryTopicStore } from './topics.ts'

/**
 * The log's stores in memory, over the given log state (a fresh one by
 * default), which stores of other areas (maintenance) may share.
 */
export function memoryLogStores(log = new MemoryLogState()): LogStores {
  const producers = new MemoryProducerState()
  return {
    objects: new MemoryObjectStore(),
    topics: new MemoryTopicStore(),
    heads: new MemoryPartitionHeads(log),
    segments: new MemorySegmentIndex(log),
    committer: new MemoryLogCommitter(log, producers),
    producers: new MemoryProducerStore(producers),
  }
}
