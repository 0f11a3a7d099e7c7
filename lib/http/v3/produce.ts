import { type Context, Hono } from 'hono'
import { stream } from 'hono/streaming'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import type { AppendOutcome } from '../../broker/appender.ts'
import { produce } from '../../broker/produce.ts'
import type { Payload, ProduceRecord } from '../../broker/produce-record.ts'
import { BadRequestError, type SluiceError } from '../../errors.ts'
import { SchemaSelector } from '../../registry/schema-selection.ts'
import type { ProducerIdentity } from '../../storage/producer-sequences.ts'
import { concatenatedJson } from '../concatenated-json.ts'
import type { HttpDeps } from '../deps.ts'
import { errorReply, errorResponse } from '../error-response.ts'
import { jsonBody, parseWith, requireJsonContentType } from '../request-body.ts'
import { produceRecordBody, toProduceRecord } from './produce-request.ts'
import { producerFields, producerOf } from './producers.ts'

const batchBody = z.object({
  ...producerFields,
  entries: z.array(produceRecordBody.extend({ id: z.string().min(1) })).min(1),
})

const recordProducerFields = z.object(producerFields)

function isRecordObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The producer of records sent to `records`: each names it, and all of one request name the same. */
function producerOfRecords(values: readonly unknown[]): ProducerIdentity | undefined {
  const identities = values.map((value) =>
    // A record that is no object has no producer fields; it is refused as a record of its own.
    producerOf(parseWith(recordProducerFields, isRecordObject(value) ? value : {})),
  )
  const [first] = identities
  const same = identities.every(
    (identity) => identity?.producerId === first?.producerId && identity?.epoch === first?.epoch,
  )
  if (!same) {
    throw new BadRequestError(
      'Records sent together must name the same producer_id and producer_epoch, or none.',
    )
  }
  return first
}

/** What the REST Proxy reports of a produced key or value; registry payloads name their schema. */
function payloadSummary(payload: Payload | null) {
  if (!payload) return null
  const summary = { type: payload.format, size: payload.bytes.byteLength }
  if (payload.format !== 'AVRO') return summary
  const { id, subjectVersion } = payload.schema
  return {
    ...summary,
    schema_id: id,
    ...(subjectVersion && {
      subject: subjectVersion.subject,
      schema_version: subjectVersion.version,
    }),
  }
}

/**
 * Records parsed from a streaming body are produced in groups: whatever has
 * arrived goes out in one append, up to this many records.
 */
const STREAM_GROUP_LIMIT = 1000

/** Produce under /v3/clusters/{cluster}/topics/{topic}/records. */
export function produceRoutes({ broker, clusterId, registry }: HttpDeps): Hono {
  const app = new Hono()

  /** The delivery report of one record, and the HTTP status it would have on its own. */
  const report = (topicName: string, entry: ProduceRecord | SluiceError, outcome: AppendOutcome) =>
    outcome.ok && !(entry instanceof Error)
      ? {
          status: 200,
          body: {
            error_code: 200,
            cluster_id: clusterId,
            topic_name: topicName,
            partition_id: outcome.partition,
            offset: outcome.offset,
            timestamp: new Date(outcome.timestamp).toISOString(),
            key: payloadSummary(entry.key),
            value: payloadSummary(entry.value),
          },
        }
      : outcome.ok
        ? { ...errorReply(new BadRequestError('Record was not produced.')), status: 500 }
        : errorReply(outcome.error)

  app.post('/:topic/records', async (c: Context) => {
    requireJsonContentType(c)
    const topic = await broker.topics.lookup(c.req.param('topic') as string)
    const schemas = new SchemaSelector(registry, topic.name)
    const produceAll = async (values: unknown[]) => {
      const producer = producerOfRecords(values)
      const entries = await Promise.all(values.map((value) => toProduceRecord(value, schemas)))
      const outcomes = await produce(broker.appender, topic, entries, producer)
      return entries.map((entry, i) => report(topic.name, entry, outcomes[i] as AppendOutcome))
    }
    const body = c.req.raw.body
    if (c.req.header('transfer-encoding')?.toLowerCase().includes('chunked')) {
      c.header('content-type', 'application/json')
      return stream(c, async (out) => {
        try {
          for await (const values of concatenatedJson(body)) {
            for (let i = 0; i < values.length; i += STREAM_GROUP_LIMIT) {
              const reports = await produceAll(values.slice(i, i + STREAM_GROUP_LIMIT))
              for (const { body } of reports) await out.write(JSON.stringify(body))
            }
          }
        } catch (error) {
          // The status is sent already: the stream ends with a report saying why it stopped.
          await out.write(JSON.stringify(errorResponse(error, c).body))
        }
      })
    }
    const values: unknown[] = []
    // One by one: a body's records can outnumber the arguments a call takes.
    for await (const parsed of concatenatedJson(body))
      for (const value of parsed) values.push(value)
    if (values.length === 0) throw new BadRequestError('Request body holds no record.')
    const reports = await produceAll(values)
    const [only] = reports
    if (reports.length === 1 && only) return c.json(only.body, only.status as ContentfulStatusCode)
    // The REST Proxy answers concatenated reports here too, which no JSON parser
    // (Python's response.json(), JSON.parse) accepts: a body sent whole gets them as one array.
    return c.json(
      reports.map(({ body }) => body),
      200,
    )
  })

  // The literal 'records:batch': Hono would read ':batch' as a parameter (see configs:alter).
  app.post('/:topic/:action{records\\x3abatch}', async (c) => {
    const body = await jsonBody(c, batchBody)
    const ids = new Set<string>()
    for (const { id } of body.entries) {
      if (ids.has(id)) throw new BadRequestError(`Entry id '${id}' appears more than once.`)
      ids.add(id)
    }
    const topic = await broker.topics.lookup(c.req.param('topic'))
    const schemas = new SchemaSelector(registry, topic.name)
    const entries = await Promise.all(
      body.entries.map(({ id: _, ...record }) => toProduceRecord(record, schemas)),
    )
    const outcomes = await produce(broker.appender, topic, entries, producerOf(body))
    const successes: unknown[] = []
    const failures: unknown[] = []
    body.entries.forEach(({ id }, i) => {
      const { status, body: result } = report(
        topic.name,
        entries[i] as ProduceRecord | SluiceError,
        outcomes[i] as AppendOutcome,
      )
      if (status === 200) successes.push({ id, ...result })
      else failures.push({ id, ...result })
    })
    return c.json({ successes, failures }, 207)
  })

  return app
}
