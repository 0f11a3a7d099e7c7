import { beforeEach, describe, expect, it } from 'vitest'
import {
  type HeldLease,
  LeaseLostError,
  NO_MAINTENANCE_STATE,
  type PartitionLeases,
} from '../../lib/storage/ports/leases.ts'
import { freshTopicId } from './maintenance-stores.ts'

const T = 1_000_000
const TERM = 60_000

/** The PartitionLeases port: grants, expiry, epochs, and the writes made under a lease. */
export function describePartitionLeasesContract(
  engineName: string,
  open: () => Promise<PartitionLeases>,
): void {
  describe(`PartitionLeases contract (${engineName})`, () => {
    let leases: PartitionLeases
    let key: string

    beforeEach(async () => {
      leases = await open()
      key = `${freshTopicId()}/0`
    })

    /** A grant that must be given. */
    async function granted(holder: string, now: number, expiresAt = now + TERM) {
      const grant = await leases.acquire(key, holder, now, expiresAt)
      expect(grant, `${holder} at ${now}`).toBeDefined()
      return grant as NonNullable<typeof grant>
    }

    it('grants a partition never leased at epoch 1, with no remembered state', async () => {
      const grant = await granted('run-a', T)
      expect(grant).toEqual({
        lease: { partitionKey: key, holder: 'run-a', epoch: 1 },
        state: NO_MAINTENANCE_STATE,
      })
      expect((await leases.states()).get(key)).toEqual(NO_MAINTENANCE_STATE)
    })

    it('refuses the lease until the current grant expires, then grants the next epoch', async () => {
      await granted('run-a', T)
      expect(await leases.acquire(key, 'run-b', T + TERM - 1, T + 2 * TERM)).toBeUndefined()
      // The holder itself waits like anyone else: one run asks once.
      expect(await leases.acquire(key, 'run-a', T + 1, T + TERM + 1)).toBeUndefined()
      const next = await granted('run-b', T + TERM)
      expect(next.lease).toEqual({ partitionKey: key, holder: 'run-b', epoch: 2 })
    })

    it('keeps partitions apart', async () => {
      await granted('run-a', T)
      const other = await leases.acquire(`${freshTopicId()}/1`, 'run-b', T, T + TERM)
      expect(other?.lease.epoch).toBe(1)
    })

    it('renews a lease: the grant lasts until the new expiry', async () => {
      const { lease } = await granted('run-a', T)
      await leases.renew(lease, T + 3 * TERM)
      expect(await leases.acquire(key, 'run-b', T + 3 * TERM - 1, T + 4 * TERM)).toBeUndefined()
      await granted('run-b', T + 3 * TERM)
    })

    it('releases a lease at once, noting when the finished tasks finished', async () => {
      const { lease } = await granted('run-a', T)
      await leases.release(lease, ['retention', 'merge'], T + 5)
      const expected = { finishedAt: { retention: T + 5, merge: T + 5 } }
      expect((await leases.states()).get(key)).toEqual(expected)
      // Released means expired: the next run need not wait, and the epoch still grows.
      const next = await granted('run-b', T + 6)
      expect(next).toEqual({
        lease: { partitionKey: key, holder: 'run-b', epoch: 2 },
        state: expected,
      })
    })

    it('remembers the cleaner checkpoint and finished tasks across grants', async () => {
      const first = await granted('run-a', T)
      await leases.recordCompaction(first.lease, 40)
      await leases.release(first.lease, ['compact'], T + 1)
      const second = await granted('run-b', T + 2)
      await leases.release(second.lease, ['merge'], T + 3)
      const state = { cleanOffset: 40, finishedAt: { compact: T + 1, merge: T + 3 } }
      expect((await leases.states()).get(key)).toEqual(state)
      expect((await granted('run-c', T + 4)).state).toEqual(state)
    })

    it('refuses every write under a lease another grant replaced, and changes nothing', async () => {
      const stale = (await granted('run-a', T)).lease
      const current = (await granted('run-b', T + TERM)).lease
      await leases.recordCompaction(current, 7)
      const before = await leases.states()
      await expect(leases.renew(stale, T + 5 * TERM)).rejects.toThrow(LeaseLostError)
      await expect(leases.recordCompaction(stale, 99)).rejects.toThrow(LeaseLostError)
      await expect(leases.release(stale, ['merge'], T + TERM + 1)).rejects.toThrow(LeaseLostError)
      expect(await leases.states()).toEqual(before)
      // Nor did the stale renewal or release end the current grant.
      expect(await leases.acquire(key, 'run-c', T + TERM + 1, T + 3 * TERM)).toBeUndefined()
    })

    it('refuses writes under a lease that was never granted', async () => {
      const { lease } = await granted('run-a', T)
      const impostors: HeldLease[] = [
        { ...lease, holder: 'run-z' },
        { ...lease, epoch: 2 },
        { ...lease, partitionKey: `${freshTopicId()}/0` },
      ]
      for (const impostor of impostors) {
        const error = await leases.renew(impostor, T + TERM).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(LeaseLostError)
        expect(error).toMatchObject({ partitionKey: impostor.partitionKey })
      }
    })

    it('hands out copies of the states it keeps', async () => {
      const { lease } = await granted('run-a', T)
      await leases.release(lease, ['merge'], T + 1)
      const state = (await leases.states()).get(key)
      ;(state?.finishedAt as Record<string, number>).merge = 0
      expect((await leases.states()).get(key)?.finishedAt.merge).toBe(T + 1)
    })
  })
}
