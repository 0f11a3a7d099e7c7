import type { CompatibilityLevel } from '../../registry/compatibility-levels.ts'
import type { NewSchema, SchemaStore, StoredSchema } from '../ports/schemas.ts'

/** Schemas, their fingerprints' ids and the global level, held in memory. */
export class MemorySchemaStore implements SchemaStore {
  private readonly schemas = new Map<number, StoredSchema>()
  private readonly ids = new Map<string, number>()
  private nextId = 1
  private global: CompatibilityLevel | undefined

  async schema(id: number): Promise<StoredSchema | undefined> {
    return structuredClone(this.schemas.get(id))
  }

  async idFor(fingerprint: string): Promise<number | undefined> {
    return this.ids.get(fingerprint)
  }

  /** Claims the fingerprint and the id in one step, so racing callers cannot both allocate. */
  async allocate({ schemaType, text, fingerprint }: NewSchema): Promise<number> {
    const claimed = this.ids.get(fingerprint)
    if (claimed !== undefined) return claimed
    const id = this.nextId++
    this.schemas.set(id, { id, schemaType, schema: text, fingerprint })
    this.ids.set(fingerprint, id)
    return id
  }

  async globalCompatibility(): Promise<CompatibilityLevel | undefined> {
    return this.global
  }

  async setGlobalCompatibility(level: CompatibilityLevel): Promise<void> {
    this.global = level
  }

  async clearGlobalCompatibility(): Promise<void> {
    this.global = undefined
  }
}
