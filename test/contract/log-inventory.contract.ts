import { beforeEach, describe, expect, it } from 'vitest'
import { partitionKey } from '../../lib/storage/keys.ts'
import { LeaseLostError } from '../../lib/storage/ports/leases.ts'
import type { SegmentReference } from '../../lib/storage/ports/log-inventory.ts'
import {
  freshTopicId,
  type MaintenanceStoresUnderTest,
  type OpenMaintenanceStores,
  segmentEntry,
} from './maintenance-stores.ts'

const T = 1_000_000

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}

/** The LogInventory port: what garbage collection lists, and the purge of a dead partition. */
export function describeLogInventoryContract(
  engineName: string,
  open: OpenMaintenanceStores,
): void {
  describe(`LogInventory contract (${engineName})`, () => {
    let stores: MaintenanceStoresUnderTest
    let topicId: string

    beforeEach(async () => {
      stores = await open()
      topicId = freshTopicId()
    })

    /** A partition with a head and entries at offsets 0, 3 and 6, each in its own object. */
    async function writtenPartition(partition: number): Promise<SegmentReference[]> {
      const key = partitionKey(topicId, partition)
      await stores.log.putHead(key, { logStartOffset: 0, logEndOffset: 9 })
      const references = [0, 3, 6].map((base) => ({
        partitionKey: key,
        baseOffset: base,
        objectKey: `${key}/object-${base}`,
      }))
      for (const { baseOffset, objectKey } of references) {
        await stores.log.putEntry(key, segmentEntry(baseOffset, baseOffset + 2, objectKey))
      }
      return references
    }

    /** This test's references, whatever else the tables hold. */
    async function references(): Promise<SegmentReference[]> {
      const all = await collect(stores.inventory.references())
      return all
        .filter((reference) => reference.partitionKey.startsWith(`${topicId}/`))
        .sort((x, y) => x.partitionKey.localeCompare(y.partitionKey) || x.baseOffset - y.baseOffset)
    }

    async function partitionKeys(): Promise<string[]> {
      const all = await collect(stores.inventory.partitionKeys())
      return [...new Set(all.filter((key) => key.startsWith(`${topicId}/`)))].sort()
    }

    it('lists every index entry of every partition, with its object', async () => {
      const written = [...(await writtenPartition(0)), ...(await writtenPartition(1))]
      expect(await references()).toEqual(written)
    })

    it('lists the partitions that have a head or a lease, with or without entries', async () => {
      await writtenPartition(0)
      await stores.log.putHead(partitionKey(topicId, 1), { logStartOffset: 4, logEndOffset: 4 })
      await stores.leases.acquire(partitionKey(topicId, 2), 'run-a', T, T + 1)
      await stores.log.putEntry(partitionKey(topicId, 3), segmentEntry(0, 0, 'entries-only'))
      expect(await partitionKeys()).toEqual([0, 1, 2].map((p) => partitionKey(topicId, p)))
    })

    it("purges the entries given, the head and the lease of a partition, and no other's", async () => {
      const [first, second, third] = await writtenPartition(0)
      const kept = await writtenPartition(1)
      const key = partitionKey(topicId, 0)
      const grant = await stores.leases.acquire(key, 'run-a', T, T + 1)
      if (!first || !second || !third || !grant) throw new Error('The partition was not set up')

      // An entry committed after the listing stays for the next collection.
      await stores.inventory.purge(key, [first.baseOffset, second.baseOffset])
      expect(await references()).toEqual([third, ...kept])
      expect(await stores.log.head(key)).toBeUndefined()
      expect(await partitionKeys()).toEqual([partitionKey(topicId, 1)])
      expect((await stores.leases.states()).has(key)).toBe(false)
      // Whoever held the lease can no longer write under it.
      await expect(
        stores.rewriter.remove(grant.lease, topicId, 0, [segmentEntry(6, 8, third.objectKey)]),
      ).rejects.toThrow(LeaseLostError)
      await expect(stores.leases.release(grant.lease, [], T)).rejects.toThrow(LeaseLostError)
    })

    it('purges a partition that is already gone without complaint', async () => {
      const key = partitionKey(topicId, 0)
      await stores.inventory.purge(key, [0, 3])
      expect(await stores.log.head(key)).toBeUndefined()
      expect(await references()).toEqual([])
    })
  })
}
