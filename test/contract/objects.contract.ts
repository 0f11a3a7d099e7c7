import { randomUUID } from 'node:crypto'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  type ListedObject,
  ObjectNotFoundError,
  ObjectRangeError,
  type ObjectStore,
} from '../../lib/storage/ports/objects.ts'

const BYTES = Uint8Array.from({ length: 10 }, (_, i) => i + 1)

async function listed(store: ObjectStore, prefix: string): Promise<ListedObject[]> {
  const objects: ListedObject[] = []
  for await (const object of store.list(prefix)) objects.push(object)
  return objects
}

/** The ObjectStore port's contract, run against every engine. */
export function describeObjectStoreContract(engine: string, open: () => Promise<ObjectStore>) {
  describe(`ObjectStore on ${engine}`, () => {
    let store: ObjectStore
    /** Every test writes under its own prefix, so one store serves them all. */
    let prefix: string

    beforeAll(async () => {
      store = await open()
    })
    beforeEach(() => {
      prefix = `contract/${randomUUID()}/`
    })

    it('reads back any byte range of an object put', async () => {
      await store.put(`${prefix}a`, BYTES)
      expect(await store.getRange(`${prefix}a`, 0, 10)).toEqual(BYTES)
      expect(await store.getRange(`${prefix}a`, 3, 4)).toEqual(Uint8Array.of(4, 5, 6, 7))
      expect(await store.getRange(`${prefix}a`, 9, 1)).toEqual(Uint8Array.of(10))
    })

    it('keeps the bytes put, whatever the caller does with its buffers afterwards', async () => {
      const body = BYTES.slice()
      await store.put(`${prefix}a`, body)
      body.fill(0)
      const read = await store.getRange(`${prefix}a`, 0, 10)
      read.fill(0)
      expect(await store.getRange(`${prefix}a`, 0, 10)).toEqual(BYTES)
    })

    it('refuses a range that runs past the end of the object or starts after it', async () => {
      await store.put(`${prefix}a`, BYTES)
      for (const [offset, length] of [
        [8, 3],
        [10, 1],
        [12, 4],
      ] as const) {
        const error = await store.getRange(`${prefix}a`, offset, length).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(ObjectRangeError)
        expect(error).toMatchObject({ key: `${prefix}a`, offset, length })
      }
    })

    it('reports an object never put as not found', async () => {
      const error = await store.getRange(`${prefix}missing`, 0, 1).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ObjectNotFoundError)
      expect(error).toMatchObject({ key: `${prefix}missing` })
    })

    it('lists the objects under a prefix in key order, with their size and when they were written', async () => {
      // S3 keeps times to the second.
      const before = Math.floor(Date.now() / 1000) * 1000
      await store.put(`${prefix}b`, BYTES)
      await store.put(`${prefix}a`, BYTES.subarray(0, 3))
      await store.put(`${prefix}c/nested`, new Uint8Array(0))
      await store.put(`${prefix.slice(0, -1)}-sibling`, BYTES)
      const after = Date.now()

      const objects = await listed(store, prefix)
      expect(objects.map(({ key, size }) => ({ key, size }))).toEqual([
        { key: `${prefix}a`, size: 3 },
        { key: `${prefix}b`, size: 10 },
        { key: `${prefix}c/nested`, size: 0 },
      ])
      for (const { lastModified } of objects) {
        expect(lastModified).toBeGreaterThanOrEqual(before)
        expect(lastModified).toBeLessThanOrEqual(after)
      }
      expect(await listed(store, `${prefix}c/`)).toHaveLength(1)
      expect(await listed(store, `${prefix}none/`)).toEqual([])
    })

    it('deletes objects, taking keys already gone in its stride', async () => {
      await store.put(`${prefix}a`, BYTES)
      await store.put(`${prefix}b`, BYTES)
      await store.delete([`${prefix}a`, `${prefix}never-put`])
      await store.delete([])

      expect((await listed(store, prefix)).map((object) => object.key)).toEqual([`${prefix}b`])
      await expect(store.getRange(`${prefix}a`, 0, 1)).rejects.toBeInstanceOf(ObjectNotFoundError)
      expect(await store.getRange(`${prefix}b`, 0, 10)).toEqual(BYTES)
    })
  })
}
