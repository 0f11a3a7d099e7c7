import type { ClusterPaths } from './cluster.ts'
import { segment, type Transport } from './transport.ts'

/** The types the read API gives keys and values in. */
export type PayloadType = 'BINARY' | 'JSON' | 'STRING' | 'AVRO'

/** A key or value as read: JSON as JSON, STRING as a string, BINARY as base64, AVRO decoded. */
export interface ReadPayload {
  readonly type: PayloadType
  readonly data: unknown
  readonly schemaId?: number
}

export interface ReadRecord {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly timestamp: Date
  readonly key: ReadPayload | null
  readonly value: ReadPayload | null
  readonly headers: readonly { readonly name: string; readonly value: Buffer | null }[]
}

export interface ReadRequest {
  readonly topic: string
  readonly partition: number
  /** An offset, a log end, or the first record at or after a time. */
  readonly from: number | 'earliest' | 'latest' | Date
  /** At most 10,000; the server's default is 500. */
  readonly maxRecords?: number
  readonly maxBytes?: number
  /** How long to wait for a record when there is none yet (at most 30 s). */
  readonly timeoutMs?: number
  /** Read keys or values as another type than they were produced with (BINARY shows the stored bytes). */
  readonly keyType?: PayloadType
  readonly valueType?: PayloadType
}

export interface ReadResult {
  readonly records: readonly ReadRecord[]
  /** Where the next read continues. */
  readonly nextOffset: number
  readonly earliestOffset: number
  readonly latestOffset: number
}

interface WirePayload {
  readonly type: PayloadType
  readonly data: unknown
  readonly schema_id?: number
}

interface ReadAnswer {
  readonly data: readonly {
    readonly partition_id: number
    readonly offset: number
    readonly timestamp: string
    readonly key: WirePayload | null
    readonly value: WirePayload | null
    readonly headers: readonly { readonly name: string; readonly value: string | null }[]
  }[]
  readonly next_offset: number
  readonly earliest_offset: number
  readonly latest_offset: number
}

function payload(wire: WirePayload | null): ReadPayload | null {
  if (wire === null) return null
  return {
    type: wire.type,
    data: wire.data,
    ...(wire.schema_id !== undefined && { schemaId: wire.schema_id }),
  }
}

function startQuery(from: ReadRequest['from']): string {
  if (from instanceof Date) return `timestamp=${from.getTime()}`
  return `offset=${from}`
}

/**
 * Reads a partition through Sluice's read API (not a consumer group: nothing
 * is committed, no member joins), as `kafka-console-consumer --partition` does.
 */
export async function readPartition(
  transport: Transport,
  cluster: ClusterPaths,
  request: ReadRequest,
): Promise<ReadResult> {
  const query = [
    startQuery(request.from),
    ...(request.maxRecords !== undefined ? [`max_records=${request.maxRecords}`] : []),
    ...(request.maxBytes !== undefined ? [`max_bytes=${request.maxBytes}`] : []),
    ...(request.timeoutMs !== undefined ? [`timeout_ms=${request.timeoutMs}`] : []),
    ...(request.keyType !== undefined ? [`key_type=${request.keyType}`] : []),
    ...(request.valueType !== undefined ? [`value_type=${request.valueType}`] : []),
  ].join('&')
  const path = await cluster.path(
    `topics/${segment(request.topic)}/partitions/${request.partition}/records?${query}`,
  )
  const answer = await transport.json<ReadAnswer>({ method: 'GET', path })
  return {
    records: answer.data.map((record) => ({
      topic: request.topic,
      partition: record.partition_id,
      offset: record.offset,
      timestamp: new Date(record.timestamp),
      key: payload(record.key),
      value: payload(record.value),
      headers: record.headers.map((header) => ({
        name: header.name,
        value: header.value === null ? null : Buffer.from(header.value, 'base64'),
      })),
    })),
    nextOffset: answer.next_offset,
    earliestOffset: answer.earliest_offset,
    latestOffset: answer.latest_offset,
  }
}
