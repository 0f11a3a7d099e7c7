import type { Type } from 'avsc'
import { avroValueFromJson, avroValueToJson } from './avro-json.ts'
import type { SchemaRegistry } from './registry.ts'
import { frame, unframe } from './wire-format.ts'

/**
 * Avro values in Confluent's wire format, to and from the JSON the REST API
 * speaks (Avro's JSON encoding). Bytes written here are what Confluent's
 * serializers write, and bytes those serializers wrote are read here.
 */

/** Serializes a JSON value with schema `id`; a value that does not fit throws AvroDataError. */
export function serializeAvro(id: number, type: Type, json: unknown): Uint8Array {
  return frame(id, type.toBuffer(avroValueFromJson(type, json)))
}

export interface DecodedAvro {
  readonly schemaId: number
  /** The value in Avro's JSON encoding. */
  readonly data: unknown
}

/**
 * Decodes wire-format bytes with the schema their header names. Throws
 * WireFormatError for bytes without the header, SchemaNotFoundError for an
 * unknown id, and avsc's error for a body the schema cannot read.
 */
export async function deserializeAvro(
  registry: SchemaRegistry,
  bytes: Uint8Array,
): Promise<DecodedAvro> {
  const { schemaId, body } = unframe(bytes)
  const { schema } = await registry.schemaById(schemaId)
  return { schemaId, data: avroValueToJson(schema.avro, schema.avro.fromBuffer(body)) }
}
