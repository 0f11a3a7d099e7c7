import type { HeldLease, MaintenanceState } from '../ports/leases.ts'

/** A partition's lease as the memory engine keeps it. */
export interface LeaseRecord {
  readonly holder: string
  readonly epoch: number
  readonly expiresAt: number
  readonly state: MaintenanceState
}

/**
 * The lease table, held in memory. The memory lease store grants leases in
 * it; the index rewriter checks its rewrites against it and garbage
 * collection purges it, as their DynamoDB twins share the leases table.
 */
export class MemoryLeaseTable {
  /** Leases by partition key; a partition never leased has none. */
  readonly records = new Map<string, LeaseRecord>()

  /** Whether the lease is still the partition's latest grant, expired or not. */
  holds(lease: HeldLease): boolean {
    const record = this.records.get(lease.partitionKey)
    return record?.holder === lease.holder && record.epoch === lease.epoch
  }
}
