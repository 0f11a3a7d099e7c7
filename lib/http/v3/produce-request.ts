import { z } from 'zod'
import { PAYLOAD_FORMATS, type PayloadFormat } from '../../broker/payload-formats.ts'
import type { Payload, ProduceRecord } from '../../broker/produce-record.ts'
import { BadRequestError, SluiceError } from '../../errors.ts'
import type { RecordHeader } from '../../log/record.ts'
import { decodeBase64, toPayload } from '../payloads.ts'
import { describeZodError } from '../request-body.ts'

const SCHEMA_FORMATS = ['AVRO', 'JSONSCHEMA', 'PROTOBUF'] as const

const data = z.object({
  type: z
    .enum([...PAYLOAD_FORMATS, ...SCHEMA_FORMATS])
    .nullable()
    .optional(),
  data: z.unknown().optional(),
  schema_id: z.number().int().nullable().optional(),
  schema_version: z.number().int().nullable().optional(),
  subject: z.string().nullable().optional(),
  subject_name_strategy: z.string().nullable().optional(),
  schema: z.string().nullable().optional(),
})

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
})

export type ProduceRecordBody = z.infer<typeof produceRecordBody>

function isPayloadFormat(type: string): type is PayloadFormat {
  return (PAYLOAD_FORMATS as readonly string[]).includes(type)
}

function toRecordPayload(
  input: z.infer<typeof data> | null | undefined,
  which: 'key' | 'value',
): Payload | null {
  if (input === null || input === undefined || input.data === null || input.data === undefined) {
    return null
  }
  const type = input.type
  if (type === null || type === undefined) {
    throw new BadRequestError(
      `The ${which} has no type; schema registry lookup is not available, so give type BINARY, JSON or STRING.`,
    )
  }
  if (!isPayloadFormat(type)) {
    throw new BadRequestError(
      `The ${which} has type ${type}, which needs the schema registry; use BINARY, JSON or STRING.`,
    )
  }
  return toPayload(type, input.data, `The ${which}`)
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
export function toProduceRecord(input: unknown): ProduceRecord | SluiceError {
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
      key: toRecordPayload(body.key, 'key'),
      value: toRecordPayload(body.value, 'value'),
      headers,
      ...(timestamp !== undefined && { timestamp }),
    }
  } catch (error) {
    if (error instanceof SluiceError) return error
    throw error
  }
}
