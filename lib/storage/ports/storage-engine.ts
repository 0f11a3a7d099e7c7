import type { ApiKeyStore } from './api-keys.ts'
import type { GroupStores } from './groups.ts'
import type { IndexRewriter } from './index-rewrite.ts'
import type { PartitionLeases } from './leases.ts'
import type { LogInventory } from './log-inventory.ts'
import type { LogStores } from './log-stores.ts'
import type { SchemaStore } from './schemas.ts'
import type { SubjectStore } from './subjects.ts'

/**
 * Every store Sluice keeps state in, all of one engine. Stores of one engine
 * lean on each other (a commit moves producer state, a rewrite is fenced by a
 * lease, an offset commit by its group), so they are built together and never
 * mixed across engines.
 */
export interface StorageEngine extends LogStores, GroupStores {
  /** Maintenance's: who may rewrite a partition's index, the rewrites, and what GC may delete. */
  readonly leases: PartitionLeases
  readonly rewriter: IndexRewriter
  readonly inventory: LogInventory
  readonly schemas: SchemaStore
  readonly subjects: SubjectStore
  readonly apiKeys: ApiKeyStore
}
