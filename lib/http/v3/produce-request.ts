import { z } from 'zod'
import {
  PAYLOAD_FORMATS,
  SCHEMALESS_FORMATS,
  type SchemalessFormat,
} from '../../broker/payload-formats.ts'
import type { Payload, ProduceRecord } from '../../broker/produce-record.ts'
import { BadRequestError, SluiceError } from '../../errors.ts'
import type { RecordHeader } from '../../log/record.ts'
import {
  type PayloadRole,
  type SchemaRequest,
  type SchemaSelector,
  SUBJECT_NAME_STRATEGIES,
} from '../../registry/schema-selection.ts'
import { decodeBase64, toAvroPayload, toPayload } from '../payloads.ts'
import { describeZodError } from '../request-body.ts'
import { sequenceField } from './producers.ts'

/** Formats the REST Proxy knows whose schemas Sluice's registry does not store. */
const UNSUPPORTED_FORMATS = ['JSONSCHEMA', 'PROTOBUF'] as const

const data = z.object({
  type: z
    .enum([...PAYLOAD_FORMATS, ...UNSUPPORTED_FORMATS])
    .nullable()
    .optional(),
  data: z.unknown().optional(),
  schema_id: z.number().int().min(0).nullable().optional(),
  schema_version: z.number().int().min(1).nullable().optional(),
  subject: z.string().nullable().optional(),
  subject_name_strategy: z.enum(SUBJECT_NAME_STRATEGIES).nullable().optional(),
  schema: z.string().nullable().optional(),
})

type Data = z.infer<typeof data>

/** One record of `POST /v3/clusters/{c}/topics/{t}/records`. */
export const produceRecordBody = z.object({
  partition_id: z.number().int().nullable().optional(),
  headers: z
    .array(z.object({ name: z.string(), value: z.string().nullable().optional() }))
    .nullable()
    .optional(),
  key: data.nullable().optional(),
  value: data.nullable().optional(),
  timestamp: z.string().nullable().optional(),
  sequence: sequenceField,
})

export type ProduceRecordBody = z.infer<typeof produceRecordBody>

function isSchemaless(type: string): type is SchemalessFormat {
  return (SCHEMALESS_FORMATS as readonly string[]).includes(type)
}

/** What the key or value says about its registry schema; empty means the subject's latest. */
function schemaRequest(input: Data): SchemaRequest {
  return {
    ...(input.schema_id != null && { schemaId: input.schema_id }),
    ...(input.schema_version != null && { schemaVersion: input.schema_version }),
    ...(input.subject != null && { subject: input.subject }),
    ...(input.subject_name_strategy != null && { strategy: input.subject_name_strategy }),
    ...(input.schema != null && { schema: input.schema }),
  }
}

/**
 * The bytes of a key or value. BINARY, JSON and STRING stand alone; AVRO, or
 * no type at all, means the registry: the data is serialized with the schema
 * the fields name (the subject's latest version by default).
 */
async function toRecordPayload(
  input: Data | null | undefined,
  role: PayloadRole,
  schemas: SchemaSelector,
): Promise<Payload | null> {
  if (input === null || input === undefined || input.data === null || input.data === undefined) {
    return null
  }
  const what = `The ${role}`
  const { type } = input
  const request = schemaRequest(input)
  if (type != null && isSchemaless(type)) {
    const given = Object.keys(request)
    if (given.length > 0) {
      throw new BadRequestError(
        `${what} has type ${type}, which takes no schema; remove ${given.join(', ')} or use type AVRO.`,
      )
    }
    return toPayload(type, input.data, what)
  }
  if (type === 'JSONSCHEMA' || type === 'PROTOBUF') {
    throw new BadRequestError(
      `${what} has type ${type}; Sluice's registry stores AVRO schemas only, so use AVRO, BINARY, JSON or STRING.`,
    )
  }
  return toAvroPayload(await schemas.choose(role, request), input.data, what)
}

function toTimestamp(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined) return undefined
  const timestamp = Date.parse(text)
  if (Number.isNaN(timestamp)) {
    throw new BadRequestError(`timestamp '${text}' is not an RFC 3339 date-time.`)
  }
  return timestamp
}

/** Validates one REST record and turns it into bytes; every problem is a specific error. */
export async function toProduceRecord(
  input: unknown,
  schemas: SchemaSelector,
): Promise<ProduceRecord | SluiceError> {
  const parsed = produceRecordBody.safeParse(input)
  if (!parsed.success) {
    return new BadRequestError(`Invalid record: ${describeZodError(parsed.error)}.`)
  }
  const body = parsed.data
  try {
    const headers: RecordHeader[] = (body.headers ?? []).map((header) => ({
      key: header.name,
      value:
        header.value === null || header.value === undefined
          ? null
          : decodeBase64(header.value, `Header '${header.name}'`),
    }))
    const timestamp = toTimestamp(body.timestamp)
    return {
      ...(body.partition_id !== null &&
        body.partition_id !== undefined && { partition: body.partition_id }),
      key: await toRecordPayload(body.key, 'key', schemas),
      value: await toRecordPayload(body.value, 'value', schemas),
      headers,
      ...(timestamp !== undefined && { timestamp }),
      ...(body.sequence != null && { sequence: body.sequence }),
    }
  } catch (error) {
    if (error instanceof SluiceError) return error
    throw error
  }
}
