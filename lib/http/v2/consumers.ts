import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { deserializeAvro } from '../../registry/avro-serde.ts'
import type { InstanceId } from '../../storage/ports/consumer-instances.ts'
import type { HttpDeps } from '../deps.ts'
import { optionalNonNegativeInteger } from '../params.ts'
import { jsonBody, optionalJsonBody } from '../request-body.ts'
import { READ_LIMITS } from '../v3/records.ts'
import {
  CONSUMER_FORMATS,
  type ConsumerFormatName,
  checkAccept,
  consumerFormat,
  v2Record,
} from './consumer-formats.ts'
import {
  commitBody,
  createInstanceRequest,
  nonEmptyPartitionsBody,
  partitionsBody,
  partitionsQuery,
  positionsBody,
  seekRequests,
  seekTo,
  subscriptionBody,
  toSubscription,
} from './consumer-requests.ts'
import { v2Json } from './topics.ts'

/**
 * Limits of a records call. The REST Proxy waits consumer.request.timeout.ms
 * (1 s) by default; larger timeouts and byte caps than a Lambda response allows
 * are lowered to the largest allowed, as they are only upper bounds.
 */
const RECORDS_LIMITS = {
  timeoutMs: { default: 1000, max: READ_LIMITS.timeoutMs.max },
  maxBytes: READ_LIMITS.maxBytes,
  maxRecords: READ_LIMITS.maxRecords.default,
} as const

function capped(
  text: string | undefined,
  what: string,
  limits: { readonly default: number; readonly max: number },
): number {
  return Math.min(optionalNonNegativeInteger(text, what) ?? limits.default, limits.max)
}

function instanceOf(c: Context): InstanceId {
  return { groupId: c.req.param('group') as string, instanceId: c.req.param('instance') as string }
}

function noContent(c: Context) {
  return c.body(null, 204)
}

/** The REST Proxy v2 consumer API under /consumers, every instance's state in DynamoDB. */
export function v2ConsumerRoutes({ consumerInstances: consumers, registry }: HttpDeps): Hono {
  const app = new Hono()
  const instance = '/:group/instances/:instance'

  app.post('/:group', async (c) => {
    const request = createInstanceRequest(
      c.req.param('group'),
      await optionalJsonBody(c, z.unknown()),
    )
    const created = await consumers.create(request)
    const base = `${new URL(c.req.url).origin}/consumers/${encodeURIComponent(created.groupId)}`
    return v2Json(c, {
      instance_id: created.instanceId,
      base_uri: `${base}/instances/${created.instanceId}`,
    })
  })

  app.delete(instance, async (c) => {
    await consumers.delete(instanceOf(c))
    return noContent(c)
  })

  app.post(`${instance}/subscription`, async (c) => {
    await consumers.subscribe(instanceOf(c), toSubscription(await jsonBody(c, subscriptionBody)))
    return noContent(c)
  })

  app.get(`${instance}/subscription`, async (c) =>
    v2Json(c, { topics: await consumers.subscription(instanceOf(c)) }),
  )

  app.delete(`${instance}/subscription`, async (c) => {
    await consumers.unsubscribe(instanceOf(c))
    return noContent(c)
  })

  app.post(`${instance}/assignments`, async (c) => {
    await consumers.assign(instanceOf(c), (await jsonBody(c, partitionsBody)).partitions)
    return noContent(c)
  })

  app.get(`${instance}/assignments`, async (c) =>
    v2Json(c, { partitions: await consumers.assignment(instanceOf(c)) }),
  )

  app.get(`${instance}/records`, async (c) => {
    const limits = {
      timeoutMs: capped(c.req.query('timeout'), 'timeout', RECORDS_LIMITS.timeoutMs),
      maxBytes: capped(c.req.query('max_bytes'), 'max_bytes', RECORDS_LIMITS.maxBytes),
      maxRecords: RECORDS_LIMITS.maxRecords,
    }
    let format: ConsumerFormatName | undefined
    const records = await consumers.poll(instanceOf(c), limits, (stored) => {
      const chosen = consumerFormat(stored.format)
      checkAccept(c.req.header('accept'), chosen)
      format = chosen
      return (record) => v2Record(chosen, record, (bytes) => deserializeAvro(registry, bytes))
    })
    return c.body(JSON.stringify(records), 200, {
      'content-type': CONSUMER_FORMATS[format ?? 'binary'].contentType,
    })
  })

  app.post(`${instance}/offsets`, async (c) => {
    const { offsets } = await optionalJsonBody(c, commitBody)
    await consumers.commit(
      instanceOf(c),
      // The REST Proxy is told the last record processed and commits the one after it.
      offsets?.map(({ topic, partition, offset, metadata }) => ({
        topic,
        partition,
        offset: offset + 1,
        ...(metadata != null && { metadata }),
      })),
    )
    return c.body(null, 200)
  })

  app.get(`${instance}/offsets`, async (c) => {
    const offsets = await consumers.committed(
      instanceOf(c),
      partitionsQuery(c.req.query('partitions')),
    )
    return v2Json(c, {
      offsets: offsets.map(({ topic, partition, offset, metadata }) => ({
        topic,
        partition,
        offset,
        metadata,
      })),
    })
  })

  app.post(`${instance}/positions`, async (c) => {
    await consumers.seek(instanceOf(c), seekRequests(await jsonBody(c, positionsBody)))
    return noContent(c)
  })

  app.post(`${instance}/positions/beginning`, async (c) => {
    const { partitions } = await jsonBody(c, nonEmptyPartitionsBody)
    await consumers.seek(instanceOf(c), seekTo(partitions, { kind: 'earliest' }))
    return noContent(c)
  })

  app.post(`${instance}/positions/end`, async (c) => {
    const { partitions } = await jsonBody(c, nonEmptyPartitionsBody)
    await consumers.seek(instanceOf(c), seekTo(partitions, { kind: 'latest' }))
    return noContent(c)
  })

  return app
}
