import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  ApiKeyIdTakenError,
  type ApiKeyRecord,
  type ApiKeyStore,
} from '../../lib/storage/ports/api-keys.ts'

function newRecord(name: string, createdAt = Date.now()): ApiKeyRecord {
  return {
    keyId: randomBytes(8).toString('hex'),
    secretHash: randomBytes(32).toString('hex'),
    name,
    createdAt,
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

const byKeyId = (a: ApiKeyRecord, b: ApiKeyRecord) => a.keyId.localeCompare(b.keyId)

/** What every ApiKeyStore engine must do; `open` gives an empty store. */
export function describeApiKeyStoreContract(
  engineName: string,
  open: () => Promise<ApiKeyStore>,
): void {
  describe(`ApiKeyStore contract (${engineName})`, () => {
    it('knows no key it was never given', async () => {
      const store = await open()
      expect(await store.get(newRecord('absent').keyId)).toBeUndefined()
      expect(await store.list()).toEqual([])
      expect(await store.delete(newRecord('absent').keyId)).toBe(false)
    })

    it('finds a created key by its id', async () => {
      const store = await open()
      const record = newRecord('billing')
      await store.create(record)
      expect(await store.get(record.keyId)).toEqual(record)
    })

    it('refuses a second key under a taken id, keeping the first', async () => {
      const store = await open()
      const record = newRecord('first')
      await store.create(record)
      const refusal = store.create({ ...newRecord('second'), keyId: record.keyId })
      await expect(refusal).rejects.toBeInstanceOf(ApiKeyIdTakenError)
      await expect(refusal).rejects.toMatchObject({ keyId: record.keyId })
      expect(await store.get(record.keyId)).toEqual(record)
    })

    it('lists every key it holds', async () => {
      const store = await open()
      const records = [newRecord('a', 3), newRecord('b', 1), newRecord('c', 2)]
      for (const record of records) await store.create(record)
      expect((await store.list()).sort(byKeyId)).toEqual([...records].sort(byKeyId))
    })

    it('deletes a key once: it is then neither found nor listed', async () => {
      const store = await open()
      const [kept, deleted] = [newRecord('kept'), newRecord('deleted')]
      await store.create(kept)
      await store.create(deleted)
      expect(await store.delete(deleted.keyId)).toBe(true)
      expect(await store.get(deleted.keyId)).toBeUndefined()
      expect(await store.list()).toEqual([kept])
      expect(await store.delete(deleted.keyId)).toBe(false)
      // The id is free again.
      await store.create(deleted)
      expect(await store.get(deleted.keyId)).toEqual(deleted)
    })

    it('keeps what it stores apart from the objects it was given and gave out', async () => {
      const store = await open()
      const record = newRecord('copied')
      const given: Mutable<ApiKeyRecord> = { ...record }
      await store.create(given)
      given.name = 'changed after create'
      const read = (await store.get(record.keyId)) as Mutable<ApiKeyRecord>
      read.name = 'changed after get'
      expect(await store.get(record.keyId)).toEqual(record)
    })
  })
}
