import type { StorageEngine } from '../ports/storage-engine.ts'
import { MemoryApiKeyStore } from './api-keys.ts'
import { MemoryInstanceStore } from './consumer-instances.ts'
import { MemoryGroupState } from './group-state.ts'
import { MemoryGroupStore } from './groups.ts'
import { MemoryIndexRewriter } from './index-rewrite.ts'
import { MemoryLeaseTable } from './lease-table.ts'
import { MemoryPartitionLeases } from './leases.ts'
import { MemoryLogCommitter } from './log-commit.ts'
import { MemoryLogInventory } from './log-inventory.ts'
import { MemoryLogState } from './log-state.ts'
import { MemoryObjectStore } from './objects.ts'
import { MemoryOffsetStore } from './offsets.ts'
import { MemoryPartitionHeads } from './partition-heads.ts'
import { MemoryProducerState } from './producer-state.ts'
import { MemoryProducerStore } from './producers.ts'
import { MemorySchemaStore } from './schemas.ts'
import { MemorySegmentIndex } from './segment-index.ts'
import { MemorySubjectStore } from './subjects.ts'
import { MemoryTopicStore } from './topics.ts'

/**
 * Every store in this process's memory, for unit tests: the same ports as the
 * AWS engine, with its conditions and errors, and nothing kept after exit.
 */
export function memoryStorage(): StorageEngine {
  const log = new MemoryLogState()
  const producers = new MemoryProducerState()
  const groups = new MemoryGroupState()
  const leases = new MemoryLeaseTable()
  return {
    objects: new MemoryObjectStore(),
    topics: new MemoryTopicStore(),
    heads: new MemoryPartitionHeads(log),
    segments: new MemorySegmentIndex(log),
    committer: new MemoryLogCommitter(log, producers),
    producers: new MemoryProducerStore(producers),
    groups: new MemoryGroupStore(groups),
    offsets: new MemoryOffsetStore(groups),
    consumerInstances: new MemoryInstanceStore(),
    leases: new MemoryPartitionLeases(leases),
    rewriter: new MemoryIndexRewriter(log, leases),
    inventory: new MemoryLogInventory(log, leases),
    schemas: new MemorySchemaStore(),
    subjects: new MemorySubjectStore(),
    apiKeys: new MemoryApiKeyStore(),
  }
}
