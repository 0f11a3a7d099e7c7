import { type Context, Hono } from 'hono'
import { produce, sequenceRefusals } from '../../broker/produce.ts'
import { checkRecords } from '../../broker/record-checks.ts'
import { resolveTopicConfigs } from '../../broker/topic-configs.ts'
import { SchemaSelector } from '../../registry/schema-selection.ts'
import type { TopicItem } from '../../storage/ports/topics.ts'
import { confluentCode } from '../confluent-codes.ts'
import type { HttpDeps } from '../deps.ts'
import { nonNegativeInteger } from '../params.ts'
import { parseWith, readJson } from '../request-body.ts'
import { producerOf } from '../v3/producers.ts'
import {
  embeddedFormat,
  toV2ProduceRecord,
  V2_CONTENT_TYPE,
  v2Encoding,
  v2ProduceBody,
} from './produce-request.ts'

/** Sluice has no brokers to name; every partition reports one leader replica, broker 0. */
function partitionMetadata(partition: number) {
  return {
    partition,
    leader: 0,
    replicas: [{ broker: 0, leader: true, in_sync: true }],
  }
}

function topicMetadata(topic: TopicItem) {
  return {
    name: topic.name,
    configs: Object.fromEntries(resolveTopicConfigs(topic.configs).map((c) => [c.name, c.value])),
    partitions: Array.from({ length: topic.partitionsCount }, (_, p) => partitionMetadata(p)),
  }
}

export function v2Json(c: Context, body: unknown, status: 200 = 200) {
  return c.body(JSON.stringify(body), status, { 'content-type': V2_CONTENT_TYPE })
}

/** The REST Proxy v2 topic API: metadata and produce under /topics. */
export function v2TopicRoutes({ broker, registry }: HttpDeps): Hono {
  const { topics } = broker
  const app = new Hono()

  app.get('/', async (c) =>
    v2Json(
      c,
      (await topics.list()).map((topic) => topic.name),
    ),
  )

  app.get('/:topic', async (c) =>
    v2Json(c, topicMetadata(await topics.describe(c.req.param('topic')))),
  )

  app.get('/:topic/partitions', async (c) => {
    const topic = await topics.describe(c.req.param('topic'))
    return v2Json(c, topicMetadata(topic).partitions)
  })

  app.get('/:topic/partitions/:partition', async (c) => {
    const partition = nonNegativeInteger(c.req.param('partition'), 'partition')
    await topics.partition(c.req.param('topic'), partition)
    return v2Json(c, partitionMetadata(partition))
  })

  app.get('/:topic/partitions/:partition/offsets', async (c) => {
    const partition = nonNegativeInteger(c.req.param('partition'), 'partition')
    const topic = await topics.partition(c.req.param('topic'), partition)
    const head = await topics.offsets(topic, partition)
    return v2Json(c, { beginning_offset: head.logStartOffset, end_offset: head.logEndOffset })
  })

  /**
   * v2 produce is all or nothing for bad input: one record that cannot be
   * converted, that the topic refuses, or whose sequence does not fit the
   * request (none with a producer id, one without) fails the request, naming
   * the record. What the producer's state refuses is reported per record.
   */
  const produceV2 = async (c: Context, partition?: number) => {
    const format = embeddedFormat(c.req.header('content-type'))
    const body = parseWith(v2ProduceBody, await readJson(c))
    const name = c.req.param('topic') as string
    const topic = await (partition === undefined
      ? topics.lookup(name)
      : topics.lookupPartition(name, partition))
    const encoding = await v2Encoding(format, body, new SchemaSelector(registry, topic.name))
    const records = body.records.map((record, i) =>
      toV2ProduceRecord(encoding.encode, record, i, partition),
    )
    const producer = producerOf(body)
    const [rejection] = [...checkRecords(topic, records), ...sequenceRefusals(records, producer)]
    if (rejection) {
      rejection.error.message = `records[${rejection.index}]: ${rejection.error.message}`
      throw rejection.error
    }
    const outcomes = await produce(broker.appender, topic, records, producer)
    return v2Json(c, {
      key_schema_id: encoding.keySchemaId,
      value_schema_id: encoding.valueSchemaId,
      offsets: outcomes.map((outcome) =>
        outcome.ok
          ? { partition: outcome.partition, offset: outcome.offset, error_code: null, error: null }
          : {
              partition: null,
              offset: null,
              error_code: confluentCode(outcome.error),
              error: outcome.error.message,
            },
      ),
    })
  }

  app.post('/:topic', (c) => produceV2(c))
  app.post('/:topic/partitions/:partition', (c) =>
    produceV2(c, nonNegativeInteger(c.req.param('partition'), 'partition')),
  )

  return app
}
