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
 *
 * How a store method fails, whatever the engine: with a domain error its port
 * documents (a conflict, a lost fence, something not found) when the engine
 * served the request and the answer is no; with StorageError, or
 * RetriableStorageError when the same request may succeed later
 * (lib/errors.ts), when the engine itself failed: throttled, unavailable,
 * access denied, a table missing. The engine's own error is then the
 * `cause`, for the logs, so nothing outside an engine knows its error shapes.
 * Anything else thrown (a connection lost past the engine client's retries,
 * a bug) is an internal failure.
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
