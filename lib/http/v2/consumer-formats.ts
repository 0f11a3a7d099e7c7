import { PayloadConversionError, ServiceError } from '../../errors.ts'
import { ConsumerFormatMismatchError, InvalidConsumerConfigError } from '../../groups/errors.ts'
import type { DecodedAvro } from '../../registry/avro-serde.ts'
import { fromPayload } from '../payloads.ts'
import type { ConsumedRecord } from './instances/consumer-instances.ts'
import { V2_CONTENT_TYPE } from './produce-request.ts'

/** What a format makes of a stored key or value: JSON, and the schema id when it has one. */
interface Decoded {
  readonly data: unknown
  readonly schemaId?: number
}

/** Reads the schema registry's wire format: in the app, `deserializeAvro` bound to the registry. */
export type AvroDecoder = (bytes: Uint8Array) => Promise<DecodedAvro>

/** An embedded format v2 consumers read records in: its content type, and how stored bytes become JSON. */
interface ConsumerFormat {
  readonly contentType: string
  decode(bytes: Uint8Array, where: string, avro: AvroDecoder): Promise<Decoded>
}

function unreadable(where: string, format: string, reason: string): PayloadConversionError {
  return new PayloadConversionError(
    `The ${where} is not ${reason}, so a ${format} consumer cannot return it: read it with a binary consumer, or move past it with POST .../positions.`,
  )
}

/**
 * The formats an instance can be created with. JSON Schema and Protobuf would
 * each become one more entry here once the registry handles them.
 */
export const CONSUMER_FORMATS = {
  binary: {
    contentType: 'application/vnd.kafka.binary.v2+json',
    decode: async (bytes) => ({ data: fromPayload('BINARY', bytes) }),
  },
  json: {
    contentType: 'application/vnd.kafka.json.v2+json',
    decode: async (bytes, where) => {
      try {
        return { data: fromPayload('JSON', bytes) }
      } catch {
        throw unreadable(where, 'json', 'JSON')
      }
    },
  },
  avro: {
    contentType: 'application/vnd.kafka.avro.v2+json',
    decode: async (bytes, where, avro) => {
      try {
        const { schemaId, data } = await avro(bytes)
        return { data, schemaId }
      } catch (error) {
        // A registry that cannot answer is a storage failure, not a property of the record.
        if (error instanceof ServiceError) throw error
        throw unreadable(
          where,
          'avro',
          `Avro in the schema registry's wire format (${(error as Error).message.replace(/\.+$/, '')})`,
        )
      }
    },
  },
} as const satisfies Record<string, ConsumerFormat>

export type ConsumerFormatName = keyof typeof CONSUMER_FORMATS

/** The REST Proxy's other formats, refused until the registry can decode them. */
const SCHEMA_FORMATS = new Set(['jsonschema', 'protobuf'])

export function consumerFormat(name: string): ConsumerFormatName {
  const lower = name.toLowerCase()
  if (Object.hasOwn(CONSUMER_FORMATS, lower)) return lower as ConsumerFormatName
  const formats = Object.keys(CONSUMER_FORMATS).join(', ')
  throw new InvalidConsumerConfigError(
    SCHEMA_FORMATS.has(lower)
      ? `format '${name}' is not supported by the schema registry yet; use ${formats}.`
      : `format '${name}' is unknown; use ${formats}.`,
  )
}

/** Media ranges that take any format: a client that names none gets the instance's own. */
const ANY_FORMAT = new Set(['*/*', 'application/*', 'application/json', V2_CONTENT_TYPE])

/**
 * The REST Proxy's Accept check for records calls: a client asking for an
 * embedded format other than the instance's is refused with 40601.
 */
export function checkAccept(accept: string | undefined, format: ConsumerFormatName): void {
  if (accept === undefined || accept.trim() === '') return
  const wanted = CONSUMER_FORMATS[format].contentType
  const ranges = accept.split(',').map((range) => range.split(';')[0]?.trim().toLowerCase() ?? '')
  if (ranges.some((range) => range === wanted || ANY_FORMAT.has(range))) return
  throw new ConsumerFormatMismatchError(
    `The requested embedded format (Accept: ${accept}) does not match this consumer instance's format '${format}': ask for ${wanted}.`,
  )
}

/** A record as the REST Proxy's v2 records call returns it; schema formats add the schema ids. */
export interface V2ConsumerRecord {
  readonly topic: string
  readonly key: unknown
  readonly value: unknown
  readonly partition: number
  readonly offset: number
  readonly key_schema_id?: number
  readonly value_schema_id?: number
}

export async function v2Record(
  format: ConsumerFormatName,
  record: ConsumedRecord,
  avro: AvroDecoder,
): Promise<V2ConsumerRecord> {
  const where = (part: string) =>
    `${part} at offset ${record.offset} of ${record.topic}/${record.partition}`
  const { decode }: ConsumerFormat = CONSUMER_FORMATS[format]
  const [key, value] = await Promise.all([
    record.key === null ? null : decode(record.key, where('key'), avro),
    record.value === null ? null : decode(record.value, where('value'), avro),
  ])
  return {
    topic: record.topic,
    key: key?.data ?? null,
    value: value?.data ?? null,
    partition: record.partition,
    offset: record.offset,
    ...(key?.schemaId !== undefined && { key_schema_id: key.schemaId }),
    ...(value?.schemaId !== undefined && { value_schema_id: value.schemaId }),
  }
}
