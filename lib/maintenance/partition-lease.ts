import type {
  HeldLease,
  LeaseGrant,
  MaintenanceState,
  PartitionLeases,
} from '../storage/ports/leases.ts'
import type { PartitionTask } from './tasks.ts'

/** How a run's leases are timed. */
export interface LeaseTerms {
  readonly clock: () => number
  /** How long a grant or a renewal lasts. */
  readonly leaseMs: number
}

/**
 * One lease a run holds. It is itself the HeldLease that index rewrites are
 * fenced with, and every write through it is conditioned on its holder and epoch.
 */
export class PartitionLease implements HeldLease {
  readonly partitionKey: string
  readonly holder: string
  readonly epoch: number
  /** The partition's remembered state when the lease was taken. */
  readonly state: MaintenanceState
  private expiresAt: number

  private constructor(
    private readonly leases: PartitionLeases,
    private readonly terms: LeaseTerms,
    { lease, state }: LeaseGrant,
    expiresAt: number,
  ) {
    this.partitionKey = lease.partitionKey
    this.holder = lease.holder
    this.epoch = lease.epoch
    this.state = state
    this.expiresAt = expiresAt
  }

  /** Takes the partition's lease for `holder`, unless another holder's has yet to expire. */
  static async acquire(
    leases: PartitionLeases,
    terms: LeaseTerms,
    partitionKey: string,
    holder: string,
  ): Promise<PartitionLease | undefined> {
    const now = terms.clock()
    const expiresAt = now + terms.leaseMs
    const grant = await leases.acquire(partitionKey, holder, now, expiresAt)
    return grant && new PartitionLease(leases, terms, grant, expiresAt)
  }

  /** Renews the lease once half of it has run out, so long work keeps it. */
  async keepAlive(): Promise<void> {
    const now = this.terms.clock()
    if (this.expiresAt - now > this.terms.leaseMs / 2) return
    await this.leases.renew(this, now + this.terms.leaseMs)
    this.expiresAt = now + this.terms.leaseMs
  }

  /** Moves the cleaner checkpoint after a complete compaction pass. */
  async recordCompaction(cleanOffset: number): Promise<void> {
    await this.leases.recordCompaction(this, cleanOffset)
  }

  /** Gives the lease up at once, noting which tasks finished, so the next run can start elsewhere. */
  async release(finished: readonly PartitionTask[]): Promise<void> {
    await this.leases.release(this, finished, this.terms.clock())
  }
}
