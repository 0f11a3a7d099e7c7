import { Hono } from 'hono'
import { PAYLOAD_FORMATS, type PayloadFormat } from '../../broker/payload-formats.ts'
import type { ReadRecord, StartPosition } from '../../broker/reader.ts'
import { BadRequestError } from '../../errors.ts'
import type { SchemaRegistry } from '../../registry/registry.ts'
import type { HttpDeps } from '../deps.ts'
import { nonNegativeInteger, optionalNonNegativeInteger } from '../params.ts'
import { type RestPayload, readPayload, readSchemalessPayload } from '../payloads.ts'

export const READ_LIMITS = {
  maxRecords: { default: 500, max: 10_000 },
  /** Lambda caps a buffered response at 6 MB; base64 and JSON framing need headroom. */
  maxBytes: { default: 1024 * 1024, max: 4 * 1024 * 1024 },
  timeoutMs: { default: 0, max: 30_000 },
  segments: { default: 1000, max: 10_000 },
} as const

function bounded(
  text: string | undefined,
  what: string,
  limits: { readonly default: number; readonly max: number },
): number {
  const value = optionalNonNegativeInteger(text, what) ?? limits.default
  if (value > limits.max) throw new BadRequestError(`${what} must be at most ${limits.max}.`)
  return value
}

function startPosition(offset: string | undefined, timestamp: string | undefined): StartPosition {
  if (offset !== undefined && timestamp !== undefined) {
    throw new BadRequestError('Give offset or timestamp, not both.')
  }
  if (timestamp !== undefined) {
    return { kind: 'timestamp', timestamp: nonNegativeInteger(timestamp, 'timestamp') }
  }
  if (offset === undefined || offset === 'earliest') return { kind: 'earliest' }
  if (offset === 'latest') return { kind: 'latest' }
  return { kind: 'offset', offset: nonNegativeInteger(offset, 'offset') }
}

/**
 * `key_type` / `value_type` read keys or values as a type other than the one
 * they were produced with: BINARY shows the stored bytes (Confluent wire format
 * included), AVRO decodes bytes that a Confluent serializer wrote and were produced as BINARY.
 */
function typeOverride(text: string | undefined, what: string): PayloadFormat | undefined {
  if (text === undefined) return undefined
  const format = PAYLOAD_FORMATS.find((candidate) => candidate === text)
  if (!format) {
    throw new BadRequestError(
      `${what} must be one of ${PAYLOAD_FORMATS.join(', ')}; got '${text}'.`,
    )
  }
  return format
}

interface PayloadTypes {
  readonly key: PayloadFormat | undefined
  readonly value: PayloadFormat | undefined
}

const ROLES = ['key', 'value'] as const
type Role = (typeof ROLES)[number]

function formatOf(record: ReadRecord, role: Role, types: PayloadTypes): PayloadFormat {
  return types[role] ?? record.formats[role]
}

function payloadName(record: ReadRecord, role: Role): string {
  return `The ${role} at offset ${record.offset}`
}

/**
 * The Avro keys and values of a page, decoded before its body is built: only
 * they need the registry, so the thousands of others convert without a promise each.
 */
async function decodeAvroPayloads(
  records: readonly ReadRecord[],
  types: PayloadTypes,
  registry: SchemaRegistry,
): Promise<Map<Uint8Array, RestPayload>> {
  const decoded = new Map<Uint8Array, RestPayload>()
  const pending: Promise<void>[] = []
  for (const record of records) {
    for (const role of ROLES) {
      const bytes = record[role]
      if (bytes === null || formatOf(record, role, types) !== 'AVRO') continue
      const what = payloadName(record, role)
      pending.push(
        readPayload('AVRO', bytes, registry, what).then((payload) => {
          decoded.set(bytes, payload)
        }),
      )
    }
  }
  await Promise.all(pending)
  return decoded
}

function recordBody(
  partition: number,
  record: ReadRecord,
  types: PayloadTypes,
  avro: ReadonlyMap<Uint8Array, RestPayload>,
) {
  const payload = (role: Role) => {
    const bytes = record[role]
    if (bytes === null) return null
    const format = formatOf(record, role, types)
    return format === 'AVRO'
      ? avro.get(bytes)
      : readSchemalessPayload(format, bytes, payloadName(record, role))
  }
  return {
    partition_id: partition,
    offset: record.offset,
    timestamp: new Date(record.timestamp).toISOString(),
    key: payload('key'),
    value: payload('value'),
    headers: record.headers.map((header) => ({
      name: header.key,
      value: header.value === null ? null : Buffer.from(header.value).toString('base64'),
    })),
  }
}

/** Sluice's read API and storage window under /v3/clusters/{cluster}/topics/{topic}/partitions/{p}. */
export function recordRoutes({ broker, clusterId, registry }: HttpDeps): Hono {
  const app = new Hono()

  app.get('/:topic/partitions/:partition/records', async (c) => {
    const partition = nonNegativeInteger(c.req.param('partition'), 'partition_id')
    const query = c.req.query()
    const start = startPosition(query.offset, query.timestamp)
    const request = {
      start,
      maxRecords: Math.max(1, bounded(query.max_records, 'max_records', READ_LIMITS.maxRecords)),
      maxBytes: bounded(query.max_bytes, 'max_bytes', READ_LIMITS.maxBytes),
      timeoutMs: bounded(query.timeout_ms, 'timeout_ms', READ_LIMITS.timeoutMs),
    }
    const types: PayloadTypes = {
      key: typeOverride(query.key_type, 'key_type'),
      value: typeOverride(query.value_type, 'value_type'),
    }
    const topic = await broker.topics.lookupPartition(c.req.param('topic'), partition)
    const result = await broker.reader.read(topic, partition, request)
    const avro = await decodeAvroPayloads(result.records, types, registry)
    return c.json({
      cluster_id: clusterId,
      topic_name: topic.name,
      partition_id: partition,
      data: result.records.map((record) => recordBody(partition, record, types, avro)),
      next_offset: result.nextOffset,
      earliest_offset: result.logStartOffset,
      latest_offset: result.logEndOffset,
    })
  })

  app.get('/:topic/partitions/:partition/segments', async (c) => {
    const partition = nonNegativeInteger(c.req.param('partition'), 'partition_id')
    const fromOffset = optionalNonNegativeInteger(c.req.query('from_offset'), 'from_offset') ?? 0
    const limit = bounded(c.req.query('limit'), 'limit', READ_LIMITS.segments)
    const topic = await broker.topics.partition(c.req.param('topic'), partition)
    const head = await broker.topics.offsets(topic, partition)
    const data = []
    for await (const entry of broker.segments.scan(topic.topicId, partition, fromOffset)) {
      if (data.length >= limit) break
      data.push({
        base_offset: entry.baseOffset,
        last_offset: entry.lastOffset,
        record_count: entry.recordCount,
        object_key: entry.objectKey,
        byte_offset: entry.byteOffset,
        byte_length: entry.byteLength,
        min_timestamp: entry.minTimestamp,
        max_timestamp: entry.maxTimestamp,
        created_at: entry.createdAt,
      })
    }
    return c.json({
      cluster_id: clusterId,
      topic_name: topic.name,
      partition_id: partition,
      log_start_offset: head.logStartOffset,
      log_end_offset: head.logEndOffset,
      data,
    })
  })

  return app
}
