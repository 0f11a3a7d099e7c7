import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { NewSchema, SchemaStore } from '../../lib/storage/ports/schemas.ts'

/** A schema with a fingerprint no other test uses. */
function newSchema(): NewSchema {
  const name = `R${randomUUID().replaceAll('-', '')}`
  return {
    schemaType: 'AVRO',
    text: JSON.stringify({ type: 'record', name, fields: [] }),
    fingerprint: `fingerprint-of-${name}`,
  }
}

const RACERS = 8

/** What every SchemaStore engine must do; `open` gives an empty store. */
export function describeSchemaStoreContract(
  engineName: string,
  open: () => Promise<SchemaStore>,
): void {
  describe(`SchemaStore contract (${engineName})`, () => {
    it('knows no schema under an id, and no id for a fingerprint, it never gave', async () => {
      const store = await open()
      expect(await store.schema(1)).toBeUndefined()
      expect(await store.idFor(newSchema().fingerprint)).toBeUndefined()
    })

    it('stores the schema under the id it allocates, and finds that id by fingerprint', async () => {
      const store = await open()
      const schema = newSchema()
      const id = await store.allocate(schema)
      expect(Number.isInteger(id) && id > 0).toBe(true)
      expect(await store.schema(id)).toEqual({
        id,
        schemaType: schema.schemaType,
        schema: schema.text,
        fingerprint: schema.fingerprint,
      })
      expect(await store.idFor(schema.fingerprint)).toBe(id)
    })

    it('answers a fingerprint allocated again with the id it already has', async () => {
      const store = await open()
      const schema = newSchema()
      const id = await store.allocate(schema)
      expect(await store.allocate(schema)).toBe(id)
      const other = await store.allocate(newSchema())
      expect(other).not.toBe(id)
      expect(await store.allocate(schema)).toBe(id)
      expect((await store.schema(id))?.fingerprint).toBe(schema.fingerprint)
    })

    it('gives each new schema the next id, counting from 1', async () => {
      const store = await open()
      const ids: number[] = []
      for (let i = 0; i < 4; i++) ids.push(await store.allocate(newSchema()))
      expect(ids).toEqual([1, 2, 3, 4])
    })

    it('gives one fingerprint one id however many callers allocate it at once', async () => {
      const store = await open()
      const schema = newSchema()
      const ids = await Promise.all(Array.from({ length: RACERS }, () => store.allocate(schema)))
      expect(new Set(ids).size).toBe(1)
      const [id] = ids
      expect(await store.idFor(schema.fingerprint)).toBe(id)
      // The racers that lost took the winner's id without using up ids of their own.
      const next = await store.allocate(newSchema())
      expect(next).toBe((id as number) + 1)
    })

    it('gives distinct schemas allocated at once distinct ids, each holding its own schema', async () => {
      const store = await open()
      const schemas = Array.from({ length: RACERS }, newSchema)
      const ids = await Promise.all(schemas.map((schema) => store.allocate(schema)))
      expect([...ids].sort((a, b) => a - b)).toEqual(
        Array.from({ length: RACERS }, (_, i) => i + 1),
      )
      for (const [i, schema] of schemas.entries()) {
        expect((await store.schema(ids[i] as number))?.fingerprint).toBe(schema.fingerprint)
        expect(await store.idFor(schema.fingerprint)).toBe(ids[i])
      }
    })

    it('sets, replaces and clears the global compatibility level', async () => {
      const store = await open()
      expect(await store.globalCompatibility()).toBeUndefined()
      await store.setGlobalCompatibility('FULL_TRANSITIVE')
      expect(await store.globalCompatibility()).toBe('FULL_TRANSITIVE')
      await store.setGlobalCompatibility('NONE')
      expect(await store.globalCompatibility()).toBe('NONE')
      await store.clearGlobalCompatibility()
      expect(await store.globalCompatibility()).toBeUndefined()
      // Clearing a level that is not set is no error.
      await store.clearGlobalCompatibility()
      expect(await store.globalCompatibility()).toBeUndefined()
    })
  })
}
