import type { PartitionTask } from '../../maintenance/tasks.ts'

/** What a partition's lease remembers of its maintenance from one run to the next. */
export interface MaintenanceState {
  /** Kafka's cleaner checkpoint: the offsets below it were compacted against each other. */
  readonly cleanOffset?: number
  /** When each task last finished on the partition. */
  readonly finishedAt: Readonly<Partial<Record<PartitionTask, number>>>
}

/** A partition maintenance has never touched. */
export const NO_MAINTENANCE_STATE: MaintenanceState = { finishedAt: {} }

/**
 * A lease as its holder knows it. The epoch grows with every grant, so a
 * holder and epoch name one grant: every write made under a lease is
 * conditioned on both still being the partition's.
 */
export interface HeldLease {
  readonly partitionKey: string
  readonly holder: string
  readonly epoch: number
}

/** A lease just granted, with the partition's remembered state at that moment. */
export interface LeaseGrant {
  readonly lease: HeldLease
  readonly state: MaintenanceState
}

/** The lease was taken over (it expired and another run took it): nothing more may be written under it. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError'
  constructor(readonly partitionKey: string) {
    super(`Lost the maintenance lease on partition ${partitionKey}`)
  }
}

/**
 * Partition leases: one per partition, with a holder, an epoch and an expiry.
 * Times are the caller's clock, in epoch milliseconds. Every write under a
 * lease throws LeaseLostError once another grant has replaced it or garbage
 * collection has purged it; an expired lease nobody has taken over still holds.
 */
export interface PartitionLeases {
  /** The remembered state of every partition maintenance has touched, by partition key. */
  states(): Promise<Map<string, MaintenanceState>>
  /**
   * Grants the partition's lease to `holder` until `expiresAt`, with the next
   * epoch, unless another grant's expiry is still after `now`.
   */
  acquire(
    partitionKey: string,
    holder: string,
    now: number,
    expiresAt: number,
  ): Promise<LeaseGrant | undefined>
  /** Moves the lease's expiry to `expiresAt`. */
  renew(lease: HeldLease, expiresAt: number): Promise<void>
  /** Moves the cleaner checkpoint after a complete compaction pass. */
  recordCompaction(lease: HeldLease, cleanOffset: number): Promise<void>
  /** Ends the lease at once and notes that the given tasks finished at `now`. */
  release(lease: HeldLease, finished: readonly PartitionTask[], now: number): Promise<void>
}
