import { z } from 'zod'
import type { PayloadFormat } from '../../broker/payload-formats.ts'
import type { ProduceRecord } from '../../broker/produce-record.ts'
import { UnsupportedMediaTypeError } from '../../errors.ts'
import { toPayload } from '../payloads.ts'

/** The REST Proxy v2 embedded formats Sluice accepts, by their content types. */
const EMBEDDED_FORMATS: Record<string, PayloadFormat> = {
  'application/vnd.kafka.json.v2+json': 'JSON',
  'application/vnd.kafka.binary.v2+json': 'BINARY',
}

export const V2_CONTENT_TYPE = 'application/vnd.kafka.v2+json'

export function embeddedFormat(contentType: string | undefined): PayloadFormat {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? ''
  const format = EMBEDDED_FORMATS[mediaType]
  if (!format) {
    throw new UnsupportedMediaTypeError(
      `Unsupported Content-Type '${contentType ?? '(none)'}': produce with ${Object.keys(EMBEDDED_FORMATS).join(' or ')}.`,
    )
  }
  return format
}

export const v2ProduceBody = z.object({
  records: z
    .array(
      z.object({
        key: z.unknown().optional(),
        value: z.unknown().optional(),
        partition: z.number().int().nullable().optional(),
      }),
    )
    .min(1),
})

export type V2ProduceBody = z.infer<typeof v2ProduceBody>

function payload(format: PayloadFormat, data: unknown, what: string) {
  return data === null || data === undefined ? null : toPayload(format, data, what)
}

/** Converts a v2 record; a conversion problem names the record, as the whole request fails on it. */
export function toV2ProduceRecord(
  format: PayloadFormat,
  record: V2ProduceBody['records'][number],
  index: number,
  partition?: number,
): ProduceRecord {
  const chosen = partition ?? record.partition ?? undefined
  return {
    ...(chosen !== undefined && { partition: chosen }),
    key: payload(format, record.key, `records[${index}].key`),
    value: payload(format, record.value, `records[${index}].value`),
    headers: [],
  }
}
