import { Hono } from 'hono'
import { PAYLOAD_FORMATS, type PayloadFormat } from '../../broker/payload-formats.ts'
import type { ReadRecord, StartPosition } from '../../broker/reader.ts'
import { BadRequestError } from '../../errors.ts'
import type { SchemaRegistry } from '../../registry/registry.ts'
import type { HttpDeps } from '../deps.ts'
import { nonNegativeInteger, optionalNonNegativeInteger } from '../params.ts'
import { readPayload } from '../payloads.ts'

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

async function recordBody(
  partition: number,
  record: ReadRecord,
  types: PayloadTypes,
  registry: SchemaRegistry,
) {
  const payload = (role: 'key' | 'value') => {
    const bytes = record[role]
    const what = `The ${role} at offset ${record.offset}`
    return bytes === null
      ? null
      : readPayload(types[role] ?? record.formats[role], bytes, registry, what)
  }
  return {
    partition_id: partition,
    offset: record.offset,
    timestamp: new Date(record.timestamp).toISOString(),
    key: await payload('key'),
    value: await payload('value'),
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
    return c.json({
      cluster_id: clusterId,
      topic_name: topic.name,
      partition_id: partition,
      data: await Promise.all(
        result.records.map((record) => recordBody(partition, record, types, registry)),
      ),
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
