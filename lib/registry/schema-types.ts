import { createHash } from 'node:crypto'
import type { Type } from 'avsc'
import stableStringify from 'safe-stable-stringify'
import { avroSchemaType } from './avro.ts'
import { canonicalAvroSchema, type Json } from './avro-canonical.ts'
import { InvalidSchemaError, SchemaTooLargeError } from './errors.ts'

/** The schema types Sluice's registry stores; `/schemas/types` lists them. */
export const SCHEMA_TYPES = ['AVRO'] as const
export type SchemaType = (typeof SCHEMA_TYPES)[number]

/** What Confluent's registry also accepts and Sluice refuses, with the reason. */
const UNSUPPORTED: Record<string, string> = {
  JSON: 'JSON Schema evolution rules are not implemented, so compatibility could not be checked',
  PROTOBUF: 'Protobuf schemas are not parsed by Sluice',
}

/**
 * A schema item must fit in one DynamoDB item (400 KB) with room to spare;
 * Confluent's registry has a limit of its own for the same reason (42209).
 */
export const MAX_SCHEMA_BYTES = 256 * 1024

/** A registered or candidate schema: its text and what Sluice parsed from it. */
export interface ParsedSchema {
  readonly schemaType: SchemaType
  /** The schema as stored and served: the submitted JSON without insignificant whitespace. */
  readonly text: string
  /**
   * Equal for schemas Avro reads as the same schema (see avro-canonical.ts),
   * whatever their whitespace and key order; the registry dedupes ids by it.
   */
  readonly fingerprint: string
  readonly avro: Type
}

export interface SchemaSubmission {
  readonly schema: string
  readonly schemaType?: string | null | undefined
  readonly references?: readonly unknown[] | null | undefined
}

function schemaTypeOf(text: string | null | undefined): SchemaType {
  const name = (text ?? 'AVRO').toUpperCase()
  const known = SCHEMA_TYPES.find((type) => type === name)
  if (known) return known
  const reason = UNSUPPORTED[name]
  throw new InvalidSchemaError(
    reason
      ? `Schema type ${name} is not supported: ${reason}. Use AVRO.`
      : `Unknown schema type '${text}'; Sluice's registry stores AVRO schemas.`,
  )
}

/** Parses and checks a submitted schema; every problem is a 42201 naming it (42209: too large). */
export function parseSchema({ schema, schemaType, references }: SchemaSubmission): ParsedSchema {
  const type = schemaTypeOf(schemaType)
  if (references && references.length > 0) {
    throw new InvalidSchemaError(
      'Schema references are not supported: give the referenced types inline in the schema.',
    )
  }
  const size = Buffer.byteLength(schema, 'utf8')
  if (size > MAX_SCHEMA_BYTES) {
    throw new SchemaTooLargeError(
      `Schema is ${size} bytes long; the limit is ${MAX_SCHEMA_BYTES} bytes.`,
    )
  }
  let json: unknown
  try {
    json = JSON.parse(schema)
  } catch (error) {
    throw new InvalidSchemaError(`Invalid ${type} schema: not JSON (${(error as Error).message}).`)
  }
  const avro = avroSchemaType(json)
  // Key order means nothing in Avro's JSON, so the canonical form is printed with sorted keys.
  const canonical = stableStringify(canonicalAvroSchema(json as Json)) ?? 'null'
  return {
    schemaType: type,
    text: JSON.stringify(json),
    fingerprint: createHash('sha256').update(`${type}\n${canonical}`).digest('hex'),
    avro,
  }
}
