import { MemoryIndexRewriter } from '../../../lib/storage/memory/index-rewrite.ts'
import { MemoryLeaseTable } from '../../../lib/storage/memory/lease-table.ts'
import { MemoryPartitionLeases } from '../../../lib/storage/memory/leases.ts'
import { MemoryLogInventory } from '../../../lib/storage/memory/log-inventory.ts'
import { MemoryLogState } from '../../../lib/storage/memory/log-state.ts'
import type { MaintenanceStoresUnderTest } from '../../contract/maintenance-stores.ts'

/** Maintenance's memory stores over a fresh log state, which the contracts lay out directly. */
export async function openMemoryMaintenanceStores(): Promise<MaintenanceStoresUnderTest> {
  const state = new MemoryLogState()
  const table = new MemoryLeaseTable()
  return {
    leases: new MemoryPartitionLeases(table),
    rewriter: new MemoryIndexRewriter(state, table),
    inventory: new MemoryLogInventory(state, table),
    log: {
      putHead: async (key, head) => {
        state.heads.set(key, structuredClone(head))
      },
      putEntry: async (key, entry) => {
        const segments = state.segments.get(key) ?? new Map()
        segments.set(entry.baseOffset, structuredClone(entry))
        state.segments.set(key, segments)
      },
      head: async (key) => structuredClone(state.heads.get(key)),
      entries: async (key) => structuredClone(state.entries(key)),
    },
  }
}
