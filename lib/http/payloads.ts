import type { Type } from 'avsc'
import type { PayloadFormat, SchemalessFormat } from '../broker/payload-formats.ts'
import type { Payload } from '../broker/produce-record.ts'
import { PayloadConversionError, ServiceError } from '../errors.ts'
import { AvroDataError, avroValueFromJson } from '../registry/avro-json.ts'
import { deserializeAvro, serializeAvro } from '../registry/avro-serde.ts'
import type { SchemaRegistry } from '../registry/registry.ts'
import type { ChosenSchema } from '../registry/schema-selection.ts'

/**
 * Decodes strict base64. Node's decoder skips bad characters silently, which
 * would store garbage; canonical input is exactly what re-encoding gives back,
 * a check several times cheaper than a validating regular expression.
 */
export function decodeBase64(text: string, what: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64')
  if (bytes.toString('base64') !== text) {
    throw new PayloadConversionError(`${what} is not valid base64.`)
  }
  return bytes
}

/** Turns REST data of a declared format into the bytes Kafka stores, as the REST Proxy does. */
export function toPayload(format: SchemalessFormat, data: unknown, what: string): Payload {
  switch (format) {
    case 'BINARY':
      if (typeof data !== 'string') {
        throw new PayloadConversionError(`${what} of type BINARY must be a base64 string.`)
      }
      return { format, bytes: decodeBase64(data, what) }
    case 'STRING':
      if (typeof data !== 'string') {
        throw new PayloadConversionError(`${what} of type STRING must be a string.`)
      }
      return { format, bytes: Buffer.from(data, 'utf8') }
    case 'JSON':
      return { format, bytes: Buffer.from(JSON.stringify(data) ?? 'null', 'utf8') }
  }
}

/** The REST form of stored bytes: JSON parsed, strings as text, binary as base64. */
export function fromPayload(format: SchemalessFormat, bytes: Uint8Array): unknown {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  switch (format) {
    case 'BINARY':
      return buffer.toString('base64')
    case 'STRING':
      return buffer.toString('utf8')
    case 'JSON':
      return JSON.parse(buffer.toString('utf8'))
  }
}

/** Runs an Avro conversion, turning data that does not fit into a 42203 naming the field. */
function avroConversion<T>(what: string, convert: () => T): T {
  try {
    return convert()
  } catch (error) {
    if (!(error instanceof AvroDataError)) throw error
    throw new PayloadConversionError(`${what} does not match its Avro schema: ${error.message}.`)
  }
}

/** Checks data in Avro's JSON encoding against a schema without serializing it. */
export function checkAvroData(type: Type, data: unknown, what: string): void {
  avroConversion(what, () => avroValueFromJson(type, data))
}

/** Serializes data in Avro's JSON encoding with a chosen schema into Confluent's wire format. */
export function toAvroPayload(chosen: ChosenSchema, data: unknown, what: string): Payload {
  const { id, subjectVersion } = chosen
  const bytes = avroConversion(what, () => serializeAvro(id, chosen.schema.avro, data))
  return { format: 'AVRO', bytes, schema: { id, ...(subjectVersion && { subjectVersion }) } }
}

/** A key or value as the read API and v2 consumers answer it. */
export interface RestPayload {
  readonly type: PayloadFormat
  readonly data: unknown
  /** For AVRO: the registry schema the bytes name. */
  readonly schema_id?: number
}

/**
 * The REST form of stored bytes read as `format`: AVRO decoded with the
 * registry schema its wire-format header names, the others as fromPayload.
 * Bytes that are not what `format` says fail with a 42203 naming `what`;
 * a registry that cannot be reached fails as the storage error it is.
 */
export async function readPayload(
  format: PayloadFormat,
  bytes: Uint8Array,
  registry: SchemaRegistry,
  what: string,
): Promise<RestPayload> {
  if (format !== 'AVRO') return readSchemalessPayload(format, bytes, what)
  try {
    const { schemaId, data } = await deserializeAvro(registry, bytes)
    return { type: format, data, schema_id: schemaId }
  } catch (error) {
    throw conversionFailure(error, format, what)
  }
}

/** readPayload for the formats that need no registry, without a promise per key or value. */
export function readSchemalessPayload(
  format: SchemalessFormat,
  bytes: Uint8Array,
  what: string,
): RestPayload {
  try {
    return { type: format, data: fromPayload(format, bytes) }
  } catch (error) {
    throw conversionFailure(error, format, what)
  }
}

function conversionFailure(error: unknown, format: PayloadFormat, what: string): unknown {
  if (error instanceof ServiceError) return error
  return new PayloadConversionError(
    `${what} cannot be read as ${format}: ${(error as Error).message.replace(/\.+$/, '')}.`,
  )
}
