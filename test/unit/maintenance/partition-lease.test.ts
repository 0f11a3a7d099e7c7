import { beforeEach, describe, expect, it } from 'vitest'
import { PartitionLease } from '../../../lib/maintenance/partition-lease.ts'
import { partitionKey } from '../../../lib/storage/keys.ts'
import { MemoryIndexRewriter } from '../../../lib/storage/memory/index-rewrite.ts'
import { MemoryLeaseTable } from '../../../lib/storage/memory/lease-table.ts'
import { MemoryPartitionLeases } from '../../../lib/storage/memory/leases.ts'
import { MemoryLogState } from '../../../lib/storage/memory/log-state.ts'
import { LeaseLostError } from '../../../lib/storage/ports/leases.ts'
import { entries, T0 } from './entries.ts'

const LEASE_MS = 10_000
const KEY = partitionKey('topic-id', 0)

/** A run's leases on memory stores, on a clock the test moves. */
function runOn(leases: MemoryPartitionLeases) {
  const run = { now: T0 }
  const terms = { clock: () => run.now, leaseMs: LEASE_MS }
  return {
    run,
    acquire: (holder: string) => PartitionLease.acquire(leases, terms, KEY, holder),
  }
}

describe('PartitionLease on the memory engine', () => {
  let table: MemoryLeaseTable
  let leases: MemoryPartitionLeases

  beforeEach(() => {
    table = new MemoryLeaseTable()
    leases = new MemoryPartitionLeases(table)
  })

  async function held(
    holder: string,
    acquire: (holder: string) => Promise<PartitionLease | undefined>,
  ) {
    const lease = await acquire(holder)
    expect(lease, holder).toBeInstanceOf(PartitionLease)
    return lease as PartitionLease
  }

  it('keeps the lease alive only once half of its term has run out', async () => {
    const first = runOn(leases)
    const rival = runOn(leases)
    const lease = await held('first', first.acquire)

    first.run.now = T0 + LEASE_MS / 2 - 1
    await lease.keepAlive()
    rival.run.now = T0 + LEASE_MS
    // Too early to renew: the grant ran out at its first expiry.
    expect(await rival.acquire('rival')).toBeDefined()
  })

  it('renews the lease for a full term from the renewal', async () => {
    const first = runOn(leases)
    const rival = runOn(leases)
    const lease = await held('first', first.acquire)

    first.run.now = T0 + LEASE_MS / 2
    await lease.keepAlive()
    rival.run.now = T0 + LEASE_MS
    expect(await rival.acquire('rival')).toBeUndefined()
    rival.run.now = T0 + LEASE_MS / 2 + LEASE_MS
    expect(await rival.acquire('rival')).toBeDefined()
  })

  it("releases with the run's clock, and the next run starts from what it remembered", async () => {
    const first = runOn(leases)
    const lease = await held('first', first.acquire)
    await lease.recordCompaction(8)
    first.run.now = T0 + 42
    await lease.release(['compact'])

    const next = await held('next', runOn(leases).acquire)
    expect(next.epoch).toBe(2)
    expect(next.state).toEqual({ cleanOffset: 8, finishedAt: { compact: T0 + 42 } })
  })

  it('fences the rewrites of a run whose lease was taken over, and its keepAlive', async () => {
    const log = new MemoryLogState()
    const [entry] = entries([100])
    if (!entry) throw new Error('no entry')
    log.segments.set(KEY, new Map([[entry.baseOffset, entry]]))
    const rewriter = new MemoryIndexRewriter(log, table)
    const first = runOn(leases)
    const stale = await held('first', first.acquire)

    const rival = runOn(leases)
    rival.run.now = T0 + LEASE_MS
    const current = await held('rival', rival.acquire)
    first.run.now = T0 + LEASE_MS
    await expect(stale.keepAlive()).rejects.toThrow(LeaseLostError)
    await expect(rewriter.remove(stale, 'topic-id', 0, [entry])).rejects.toThrow(LeaseLostError)
    expect(log.entries(KEY)).toEqual([entry])

    await rewriter.remove(current, 'topic-id', 0, [entry])
    expect(log.entries(KEY)).toEqual([])
  })
})
