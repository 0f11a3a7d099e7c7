import type { CompatibilityLevel } from '../../registry/compatibility-levels.ts'
import type { SchemaType } from '../../registry/schema-types.ts'

/** A schema as stored under its id; never changed once written. */
export interface StoredSchema {
  readonly id: number
  readonly schemaType: SchemaType
  readonly schema: string
  readonly fingerprint: string
}

/** A schema that needs an id: its text and the fingerprint of its canonical form. */
export interface NewSchema {
  readonly schemaType: SchemaType
  readonly text: string
  readonly fingerprint: string
}

/**
 * The schema registry's state that belongs to no subject: schemas by id, the
 * fingerprint that keeps one id per schema, and the global compatibility level.
 */
export interface SchemaStore {
  schema(id: number): Promise<StoredSchema | undefined>

  /** The id the schema with this fingerprint was given, if any. */
  idFor(fingerprint: string): Promise<number | undefined>

  /**
   * The id of a schema, allocating the next one if its fingerprint has none.
   * However many writers race, a fingerprint gets one id and an id is given
   * to one schema only. Ids count up from 1 without gaps: a writer that loses
   * a race uses none up.
   */
  allocate(schema: NewSchema): Promise<number>

  /** The level set for the whole registry; undefined when none is set. */
  globalCompatibility(): Promise<CompatibilityLevel | undefined>
  setGlobalCompatibility(level: CompatibilityLevel): Promise<void>
  clearGlobalCompatibility(): Promise<void>
}
