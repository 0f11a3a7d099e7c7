import { describe, expect, it } from 'vitest'
import { IncompatibleSchemaError, SchemaNotFoundError } from '../../../lib/registry/errors.ts'
import { createSchemaRegistry } from '../../../lib/registry/registry.ts'
import { MemorySchemaStore } from '../../../lib/storage/memory/schemas.ts'
import { MemorySubjectStore } from '../../../lib/storage/memory/subjects.ts'

/** The registry on the memory engine: its rules hold without DynamoDB. */
function memoryRegistry() {
  return createSchemaRegistry({
    schemas: new MemorySchemaStore(),
    subjects: new MemorySubjectStore(),
  })
}

type Field = readonly [name: string, type: string, fallback?: unknown]

function record(name: string, fields: readonly Field[]): string {
  return JSON.stringify({
    type: 'record',
    name,
    fields: fields.map(([field, type, ...fallback]) => ({
      name: field,
      type,
      ...(fallback.length > 0 && { default: fallback[0] }),
    })),
  })
}

const USER = record('User', [['name', 'string']])

describe('the schema registry on the memory engine', () => {
  it('registers a schema, and finds it by id, by version and by its text', async () => {
    const registry = memoryRegistry()
    const registered = await registry.register('users-value', { schema: USER })
    expect(registered).toMatchObject({ id: 1, subject: 'users-value', version: 1 })
    expect((await registry.schemaById(1)).schema.text).toBe(USER)
    expect(await registry.version('users-value', 'latest', false)).toMatchObject({
      id: 1,
      version: 1,
    })
    // The same schema, spaced differently, is the same schema.
    const respaced = JSON.stringify(JSON.parse(USER), null, 2)
    expect(await registry.lookup('users-value', { schema: respaced }, false)).toMatchObject({
      id: 1,
      version: 1,
    })
    await expect(registry.schemaById(2)).rejects.toBeInstanceOf(SchemaNotFoundError)
  })

  it('gives a schema one id under every subject, and one version per subject', async () => {
    const registry = memoryRegistry()
    const first = await registry.register('a-value', { schema: USER })
    expect(await registry.register('a-value', { schema: USER })).toMatchObject({
      id: first.id,
      version: 1,
    })
    expect(await registry.register('b-value', { schema: USER })).toMatchObject({
      id: first.id,
      version: 1,
    })
    expect(await registry.usesOf(first.id, false)).toEqual([
      { subject: 'a-value', version: 1 },
      { subject: 'b-value', version: 1 },
    ])
  })

  it('refuses a schema incompatible under the subject level, and stores nothing', async () => {
    const registry = memoryRegistry()
    await registry.register('users-value', { schema: USER })
    // A new field without a default cannot read data written before it: not BACKWARD.
    const required = record('User', [
      ['name', 'string'],
      ['age', 'int'],
    ])
    await expect(registry.register('users-value', { schema: required })).rejects.toBeInstanceOf(
      IncompatibleSchemaError,
    )
    expect(await registry.versions('users-value', false)).toEqual([1])

    await registry.setSubjectCompatibility('users-value', 'NONE')
    expect(await registry.register('users-value', { schema: required })).toMatchObject({
      id: 2,
      version: 2,
    })
  })

  it('checks against the global level, which can be set and reset', async () => {
    const registry = memoryRegistry()
    const optional = record('User', [
      ['name', 'string'],
      ['age', 'int', 0],
    ])
    await registry.setGlobalCompatibility('FORWARD')
    await registry.register('users-value', { schema: optional })
    // Dropping a field without a default leaves FORWARD readers of the old schema stuck.
    const dropped = record('User', [['age', 'int', 0]])
    expect(
      await registry.compatibilityProblems('users-value', { schema: dropped }, 'latest'),
    ).not.toEqual([])
    expect(await registry.resetGlobalCompatibility()).toBe('FORWARD')
    expect(await registry.globalCompatibility()).toBe('BACKWARD')
    expect(
      await registry.compatibilityProblems('users-value', { schema: dropped }, 'latest'),
    ).toEqual([])
  })

  it('lists subjects in name order, hiding soft-deleted ones unless asked', async () => {
    const registry = memoryRegistry()
    for (const subject of ['c-value', 'a-value', 'b-value']) {
      await registry.register(subject, { schema: USER })
    }
    expect(await registry.deleteSubject('b-value', false)).toEqual([1])
    expect(await registry.listSubjects(false)).toEqual(['a-value', 'c-value'])
    expect(await registry.listSubjects(true)).toEqual(['a-value', 'b-value', 'c-value'])
  })

  it('gives schemas registered at once one version each, repeats included, without gaps', async () => {
    const registry = memoryRegistry()
    await registry.setSubjectCompatibility('race-value', 'NONE')
    const schemas = Array.from({ length: 4 }, (_, i) => record(`Kind${i}`, [['n', 'int']]))
    // Each schema is sent three times at once: the repeats must land on its one version.
    const results = await Promise.all(
      [...schemas, ...schemas, ...schemas].map((schema) =>
        registry.register('race-value', { schema }),
      ),
    )
    expect(await registry.versions('race-value', false)).toEqual([1, 2, 3, 4])
    expect(new Set(results.map((result) => result.id)).size).toBe(schemas.length)
    for (const schema of schemas) {
      const answers = new Set(
        results
          .filter((result) => result.schema.text === schema)
          .map(({ id, version }) => JSON.stringify({ id, version })),
      )
      expect(answers.size).toBe(1)
      const { id, version } = await registry.lookup('race-value', { schema }, false)
      expect(answers).toEqual(new Set([JSON.stringify({ id, version })]))
    }
  })
})
