import { InvalidArgumentError } from './errors.ts'

/** A value the registry serializes: Avro in its JSON encoding, with the schema to use. */
export interface AvroValue {
  readonly type: 'AVRO'
  readonly data: unknown
  /** An inline schema, registered under the subject if it is new there. */
  readonly schema?: string
  readonly schemaId?: number
  /** By default `<topic>-value`, at its latest version. */
  readonly subject?: string
  readonly schemaVersion?: number
}

/** A value stored as JSON text and read back as JSON. */
export interface JsonValue {
  readonly type: 'JSON'
  readonly data: unknown
}

/**
 * A record value: a string is stored as UTF-8 and read back as a string, bytes
 * as they are (BINARY), null is a tombstone. JSON and Avro values say so.
 */
export type MessageValue = string | Uint8Array | null | JsonValue | AvroValue

/** A record to produce, as kafkajs takes it. */
export interface Message {
  /** Hashed with Kafka's murmur2 to pick the partition; null or absent spreads records. */
  readonly key?: string | Uint8Array | null
  readonly value: MessageValue
  readonly headers?: Readonly<Record<string, string | Uint8Array | null>>
  /** Overrides the partition the key would pick. */
  readonly partition?: number
  /** CreateTime; the time of sending when absent. */
  readonly timestamp?: number | Date
}

/** A key or value as the v3 produce API takes it. */
type WireData =
  | { type: 'STRING' | 'BINARY' | 'JSON'; data: unknown }
  | {
      type: 'AVRO'
      data: unknown
      schema?: string
      schema_id?: number
      subject?: string
      schema_version?: number
    }

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** The bytes of a key or header: a string's UTF-8 (what Kafka hashes for a string key). */
export function toBytes(text: string | Uint8Array): Uint8Array {
  return typeof text === 'string' ? Buffer.from(text, 'utf8') : text
}

function wireKey(key: string | Uint8Array): WireData {
  return typeof key === 'string'
    ? { type: 'STRING', data: key }
    : { type: 'BINARY', data: base64(key) }
}

function wireValue(value: Exclude<MessageValue, null>): WireData {
  if (typeof value === 'string') return { type: 'STRING', data: value }
  if (value instanceof Uint8Array) return { type: 'BINARY', data: base64(value) }
  if (value.type === 'JSON') return { type: 'JSON', data: value.data }
  return {
    type: 'AVRO',
    data: value.data,
    ...(value.schema !== undefined && { schema: value.schema }),
    ...(value.schemaId !== undefined && { schema_id: value.schemaId }),
    ...(value.subject !== undefined && { subject: value.subject }),
    ...(value.schemaVersion !== undefined && { schema_version: value.schemaVersion }),
  }
}

function timestampOf(timestamp: number | Date): string {
  const date = typeof timestamp === 'number' ? new Date(timestamp) : timestamp
  if (Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(`timestamp ${String(timestamp)} is not a valid time.`)
  }
  return date.toISOString()
}

/**
 * One entry of a `records:batch` request, serialized once: its length is what
 * batches are measured in, and requests are built by joining entries.
 */
export interface EncodedRecord {
  readonly json: string
  readonly bytes: number
}

/** Serializes a message for the partition chosen for it, under an id unique within the producer. */
export function encodeRecord(message: Message, id: string, partition: number): EncodedRecord {
  const headers = Object.entries(message.headers ?? {}).map(([name, value]) => ({
    name,
    value: value === null ? null : base64(toBytes(value)),
  }))
  const json = JSON.stringify({
    id,
    partition_id: partition,
    ...(message.key != null && { key: wireKey(message.key) }),
    ...(message.value !== null && { value: wireValue(message.value) }),
    ...(headers.length > 0 && { headers }),
    ...(message.timestamp !== undefined && { timestamp: timestampOf(message.timestamp) }),
  })
  return { json, bytes: Buffer.byteLength(json) }
}

/** An idempotent producer session, as a `records:batch` request names it. */
export interface ProducerSession {
  readonly producerId: number
  readonly epoch: number
}

/** An entry with the sequence an idempotent producer gave it on its partition. */
export interface SequencedRecord extends EncodedRecord {
  readonly sequence?: number
}

/** The most an idempotent request adds: its producer fields, and a sequence per entry. */
export const IDEMPOTENCE_BYTES = {
  request: '"producer_id":9007199254740991,"producer_epoch":32767,'.length,
  entry: '"sequence":2147483647,'.length,
}

/** The body of a `records:batch` request holding these entries, from `producer` when given. */
export function batchBody(records: readonly SequencedRecord[], producer?: ProducerSession): string {
  const entries = records.map(({ json, sequence }) =>
    sequence === undefined ? json : `{"sequence":${sequence},${json.slice(1)}`,
  )
  const fields = producer
    ? `"producer_id":${producer.producerId},"producer_epoch":${producer.epoch},`
    : ''
  return `{${fields}"entries":[${entries.join(',')}]}`
}

/** What `batchBody` adds around its entries: the braces, the key, and a comma between each two. */
export function batchOverhead(count: number): number {
  return '{"entries":[]}'.length + Math.max(0, count - 1)
}
