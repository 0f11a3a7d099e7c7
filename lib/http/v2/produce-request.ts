import { z } from 'zod'
import type { PayloadFormat } from '../../broker/payload-formats.ts'
import type { Payload, ProduceRecord } from '../../broker/produce-record.ts'
import { BadRequestError, UnsupportedMediaTypeError } from '../../errors.ts'
import { SchemaMissingError } from '../../registry/errors.ts'
import type {
  ChosenSchema,
  PayloadRole,
  SchemaRequest,
  SchemaSelector,
} from '../../registry/schema-selection.ts'
import { checkAvroData, toAvroPayload, toPayload } from '../payloads.ts'
import { producerFields, sequenceField } from '../v3/producers.ts'

/** The REST Proxy v2 embedded formats Sluice accepts, by their content types. */
const EMBEDDED_FORMATS: Record<string, PayloadFormat> = {
  'application/vnd.kafka.json.v2+json': 'JSON',
  'application/vnd.kafka.binary.v2+json': 'BINARY',
  'application/vnd.kafka.avro.v2+json': 'AVRO',
}

export const V2_CONTENT_TYPE = 'application/vnd.kafka.v2+json'

export function embeddedFormat(contentType: string | undefined): PayloadFormat {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? ''
  const format = EMBEDDED_FORMATS[mediaType]
  if (!format) {
    throw new UnsupportedMediaTypeError(
      `Unsupported Content-Type '${contentType ?? '(none)'}': produce with ${Object.keys(EMBEDDED_FORMATS).join(', ')}.`,
    )
  }
  return format
}

/** Confluent's clients send schema ids as numbers, and some as numeric strings. */
const schemaId = z.union([
  z.number().int().min(0),
  z
    .string()
    .regex(/^\d{1,10}$/)
    .transform(Number),
])

/**
 * The REST Proxy's v2 produce body. `producer_id`, `producer_epoch` and each
 * record's `sequence` are Sluice's, the same as on v3: the REST Proxy has no
 * way to send a v2 request again safely, and a client that leaves them out
 * gets its behaviour.
 */
export const v2ProduceBody = z.object({
  records: z
    .array(
      z.object({
        key: z.unknown().optional(),
        value: z.unknown().optional(),
        partition: z.number().int().nullable().optional(),
        sequence: sequenceField,
      }),
    )
    .min(1),
  ...producerFields,
  key_schema: z.string().nullable().optional(),
  key_schema_id: schemaId.nullable().optional(),
  value_schema: z.string().nullable().optional(),
  value_schema_id: schemaId.nullable().optional(),
})

export type V2ProduceBody = z.infer<typeof v2ProduceBody>

/** Turns one key's or value's data into bytes. */
export type PayloadEncoder = (role: PayloadRole, data: unknown, what: string) => Payload

/** How a v2 request's keys and values become bytes, and the schema ids it answers with. */
export interface V2Encoding {
  readonly encode: PayloadEncoder
  readonly keySchemaId: number | null
  readonly valueSchemaId: number | null
}

const ROLES = ['key', 'value'] as const

function hasData(record: V2ProduceBody['records'][number], role: PayloadRole): boolean {
  return record[role] !== null && record[role] !== undefined
}

/** The request's schema for a role, as given inline or by id; none when it gives neither. */
function schemaRequest(body: V2ProduceBody, role: PayloadRole): SchemaRequest | undefined {
  const schema = body[`${role}_schema`]
  const id = body[`${role}_schema_id`]
  if (schema != null && id != null) {
    throw new BadRequestError(`Give ${role}_schema or ${role}_schema_id, not both.`)
  }
  if (id != null) return { schemaId: id }
  return schema != null ? { schema } : undefined
}

/**
 * Avro keys and values use the schema the request gives, by id or inline; an
 * inline schema is registered under the topic's subject (`<topic>-key`,
 * `<topic>-value`), as the REST Proxy does. Every record is checked against
 * the schemas before anything is registered, so a bad request changes nothing.
 */
async function avroEncoding(body: V2ProduceBody, schemas: SchemaSelector): Promise<V2Encoding> {
  const requests = { key: schemaRequest(body, 'key'), value: schemaRequest(body, 'value') }
  for (const role of ROLES) {
    const request = requests[role]
    const { records } = body
    if (request === undefined && records.some((record) => hasData(record, role))) {
      throw new SchemaMissingError(role)
    }
    if (request === undefined) continue
    const { avro } = await schemas.preview(role, request)
    records.forEach((record, i) => {
      if (hasData(record, role)) checkAvroData(avro, record[role], `records[${i}].${role}`)
    })
  }
  const chosen: Partial<Record<PayloadRole, ChosenSchema>> = {}
  for (const role of ROLES) {
    const request = requests[role]
    if (request !== undefined) chosen[role] = await schemas.choose(role, request)
  }
  return {
    encode: (role, data, what) => {
      const schema = chosen[role]
      if (!schema) throw new SchemaMissingError(role)
      return toAvroPayload(schema, data, what)
    },
    keySchemaId: chosen.key?.id ?? null,
    valueSchemaId: chosen.value?.id ?? null,
  }
}

export async function v2Encoding(
  format: PayloadFormat,
  body: V2ProduceBody,
  schemas: SchemaSelector,
): Promise<V2Encoding> {
  if (format === 'AVRO') return avroEncoding(body, schemas)
  for (const role of ROLES) {
    if (schemaRequest(body, role) !== undefined) {
      throw new BadRequestError(
        `${role}_schema and ${role}_schema_id apply to application/vnd.kafka.avro.v2+json only.`,
      )
    }
  }
  return {
    encode: (_role, data, what) => toPayload(format, data, what),
    keySchemaId: null,
    valueSchemaId: null,
  }
}

/** Converts a v2 record; a conversion problem names the record, as the whole request fails on it. */
export function toV2ProduceRecord(
  encode: PayloadEncoder,
  record: V2ProduceBody['records'][number],
  index: number,
  partition?: number,
): ProduceRecord {
  const chosen = partition ?? record.partition ?? undefined
  const payload = (role: PayloadRole) =>
    hasData(record, role) ? encode(role, record[role], `records[${index}].${role}`) : null
  return {
    ...(chosen !== undefined && { partition: chosen }),
    ...(record.sequence != null && { sequence: record.sequence }),
    key: payload('key'),
    value: payload('value'),
    headers: [],
  }
}
