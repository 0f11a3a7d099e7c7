import type { PartitionTask } from '../../maintenance/tasks.ts'
import {
  type HeldLease,
  type LeaseGrant,
  LeaseLostError,
  type MaintenanceState,
  NO_MAINTENANCE_STATE,
  type PartitionLeases,
} from '../ports/leases.ts'
import type { LeaseRecord, MemoryLeaseTable } from './lease-table.ts'

/** Partition leases in a MemoryLeaseTable, each call checked and applied in one synchronous step. */
export class MemoryPartitionLeases implements PartitionLeases {
  constructor(private readonly table: MemoryLeaseTable) {}

  async states(): Promise<Map<string, MaintenanceState>> {
    const states = new Map<string, MaintenanceState>()
    for (const [key, record] of this.table.records) states.set(key, structuredClone(record.state))
    return states
  }

  async acquire(
    partitionKey: string,
    holder: string,
    now: number,
    expiresAt: number,
  ): Promise<LeaseGrant | undefined> {
    const current = this.table.records.get(partitionKey)
    if (current && current.expiresAt > now) return undefined
    const record: LeaseRecord = {
      holder,
      epoch: (current?.epoch ?? 0) + 1,
      expiresAt,
      state: current?.state ?? NO_MAINTENANCE_STATE,
    }
    this.table.records.set(partitionKey, record)
    return {
      lease: { partitionKey, holder, epoch: record.epoch },
      state: structuredClone(record.state),
    }
  }

  async renew(lease: HeldLease, expiresAt: number): Promise<void> {
    this.update(lease, (record) => ({ ...record, expiresAt }))
  }

  async recordCompaction(lease: HeldLease, cleanOffset: number): Promise<void> {
    this.update(lease, (record) => ({ ...record, state: { ...record.state, cleanOffset } }))
  }

  async release(lease: HeldLease, finished: readonly PartitionTask[], now: number): Promise<void> {
    this.update(lease, (record) => {
      const finishedAt = { ...record.state.finishedAt }
      for (const task of finished) finishedAt[task] = now
      return { ...record, expiresAt: 0, state: { ...record.state, finishedAt } }
    })
  }

  private update(lease: HeldLease, change: (record: LeaseRecord) => LeaseRecord): void {
    const record = this.table.records.get(lease.partitionKey)
    if (!record || !this.table.holds(lease)) throw new LeaseLostError(lease.partitionKey)
    this.table.records.set(lease.partitionKey, change(record))
  }
}
