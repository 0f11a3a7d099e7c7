import type { PayloadType, ReadRecord } from '../client/partition-reader.ts'
import { InputError } from './exit-codes.ts'

/** How `sluice consume` shows keys and values. */
export const RECORD_FORMATS = ['string', 'json', 'binary', 'avro'] as const
export type RecordFormat = (typeof RECORD_FORMATS)[number]

/** What the read API is asked to convert keys and values to. */
export const PAYLOAD_TYPE: Record<RecordFormat, PayloadType> = {
  string: 'STRING',
  json: 'JSON',
  binary: 'BINARY',
  avro: 'AVRO',
}

export interface Formats {
  readonly key: RecordFormat
  readonly value: RecordFormat
}

/** A record ready to print; key and value are strings (string, binary as base64) or JSON values (json, avro). */
export interface OutputRecord {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  /** The read API's records have these; the v2 consumer API returns neither. */
  readonly timestamp?: Date
  readonly headers?: readonly { readonly name: string; readonly value: string | null }[]
  readonly key: unknown
  readonly value: unknown
}

/** A record the read API converted already (it was asked for the formats' types). */
export function outputOfRead(record: ReadRecord): OutputRecord {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    headers: record.headers.map((h) => ({
      name: h.name,
      value: h.value === null ? null : h.value.toString('base64'),
    })),
    key: record.key?.data ?? null,
    value: record.value?.data ?? null,
  }
}

/** The formats bytes can be shown in without the registry. */
export type BytesFormat = Exclude<RecordFormat, 'avro'>

/** Bytes from the v2 consumer API shown as `format`. */
export function decodeBytes(bytes: Buffer | null, format: BytesFormat, where: string): unknown {
  if (bytes === null) return null
  switch (format) {
    case 'string':
      return bytes.toString('utf8')
    case 'binary':
      return bytes.toString('base64')
    case 'json':
      try {
        return JSON.parse(bytes.toString('utf8'))
      } catch {
        throw new InputError(`The ${where} is not JSON; read it with --format string or binary.`)
      }
  }
}

function text(data: unknown, format: RecordFormat): string {
  if (data === null) return 'null'
  return format === 'string' || format === 'binary' ? String(data) : JSON.stringify(data)
}

/** The value, or key, separator and value, as kafka-console-consumer prints them. */
export function textLine(
  record: OutputRecord,
  formats: Formats,
  printKey: { readonly separator: string } | undefined,
): string {
  const value = text(record.value, formats.value)
  return printKey ? `${text(record.key, formats.key)}${printKey.separator}${value}` : value
}

/** One JSON document per record. */
export function jsonLine(record: OutputRecord): string {
  return JSON.stringify({
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    ...(record.timestamp && { timestamp: record.timestamp.toISOString() }),
    key: record.key,
    value: record.value,
    ...(record.headers && { headers: record.headers }),
  })
}
