import { Hono } from 'hono'
import { z } from 'zod'
import { resolveTopicConfigs, validateTopicConfigName } from '../../broker/topic-configs.ts'
import { BrokerNotFoundError, ConfigNotFoundError } from '../../errors.ts'
import type { HttpDeps } from '../deps.ts'
import { nonNegativeInteger } from '../params.ts'
import { jsonBody } from '../request-body.ts'
import {
  BROKER_ID,
  configResource,
  list,
  partitionResource,
  ResourceLinks,
  replicaResource,
  topicResource,
} from './resources.ts'

const configEntry = z.object({ name: z.string().min(1), value: z.string().nullable().optional() })

/**
 * Partition counts are only checked to be numbers here: the broker refuses a
 * fraction, zero or too many with Kafka's INVALID_PARTITIONS (40002), naming the count.
 */
const createTopicBody = z.object({
  topic_name: z.string(),
  partitions_count: z.number().nullable().optional(),
  replication_factor: z.number().int().min(-1).max(32767).nullable().optional(),
  configs: z.array(configEntry).nullable().optional(),
  validate_only: z.boolean().nullable().optional(),
})

const updateTopicBody = z.object({ partitions_count: z.number() })

const alterConfigsBody = z.object({
  data: z.array(
    z.object({
      name: z.string().min(1),
      value: z.string().nullable().optional(),
      operation: z.enum(['SET', 'DELETE']).nullable().optional(),
    }),
  ),
  validate_only: z.boolean().nullable().optional(),
})

const setConfigBody = z.object({ value: z.string() })

function linksFor(url: string, clusterId: string): ResourceLinks {
  return new ResourceLinks(new URL(url).origin, clusterId)
}

/** Topic, partition and config administration under /v3/clusters/{cluster}/topics. */
export function topicRoutes({ broker, clusterId }: HttpDeps): Hono {
  const { topics } = broker
  const app = new Hono()

  app.get('/', async (c) => {
    const links = linksFor(c.req.url, clusterId)
    const all = await topics.list()
    return c.json(
      list(
        'KafkaTopicList',
        links.topics(),
        all.map((t) => topicResource(links, t)),
      ),
    )
  })

  app.post('/', async (c) => {
    const body = await jsonBody(c, createTopicBody)
    const configs: Record<string, string> = {}
    for (const entry of body.configs ?? []) {
      if (entry.value !== null && entry.value !== undefined) configs[entry.name] = entry.value
    }
    const topic = await topics.create({
      name: body.topic_name,
      ...(body.partitions_count != null && { partitionsCount: body.partitions_count }),
      configs,
      validateOnly: body.validate_only ?? false,
    })
    return c.json(topicResource(linksFor(c.req.url, clusterId), topic), 201)
  })

  app.get('/:topic', async (c) => {
    const topic = await topics.describe(c.req.param('topic'))
    return c.json(topicResource(linksFor(c.req.url, clusterId), topic))
  })

  app.patch('/:topic', async (c) => {
    const body = await jsonBody(c, updateTopicBody)
    const topic = await topics.increasePartitions(c.req.param('topic'), body.partitions_count)
    return c.json(topicResource(linksFor(c.req.url, clusterId), topic))
  })

  app.delete('/:topic', async (c) => {
    await topics.delete(c.req.param('topic'))
    return c.body(null, 204)
  })

  app.get('/:topic/configs', async (c) => {
    const links = linksFor(c.req.url, clusterId)
    const topic = await topics.describe(c.req.param('topic'))
    const configs = resolveTopicConfigs(topic.configs).map((config) =>
      configResource(links, topic.name, config),
    )
    return c.json(list('KafkaTopicConfigList', links.configs(topic.name), configs))
  })

  app.get('/:topic/configs/:name', async (c) => {
    const topic = await topics.describe(c.req.param('topic'))
    const name = c.req.param('name')
    const config = resolveTopicConfigs(topic.configs).find((entry) => entry.name === name)
    if (!config) throw new ConfigNotFoundError(name)
    return c.json(configResource(linksFor(c.req.url, clusterId), topic.name, config))
  })

  app.put('/:topic/configs/:name', async (c) => {
    const { value } = await jsonBody(c, setConfigBody)
    await topics.alterConfigs(c.req.param('topic'), [
      { operation: 'SET', name: c.req.param('name'), value },
    ])
    return c.body(null, 204)
  })

  app.delete('/:topic/configs/:name', async (c) => {
    const name = c.req.param('name')
    validateTopicConfigName(name)
    await topics.alterConfigs(c.req.param('topic'), [{ operation: 'DELETE', name }])
    return c.body(null, 204)
  })

  // Hono reads ':alter' in 'configs:alter' as a parameter, which would route any
  // 'configs…' here; this pattern matches only the literal colon (\x3a).
  app.post('/:topic/:action{configs\\x3aalter}', async (c) => {
    const body = await jsonBody(c, alterConfigsBody)
    const changes = body.data.map((entry) =>
      entry.operation === 'DELETE'
        ? { operation: 'DELETE' as const, name: entry.name }
        : { operation: 'SET' as const, name: entry.name, value: entry.value ?? '' },
    )
    await topics.alterConfigs(c.req.param('topic'), changes, {
      validateOnly: body.validate_only ?? false,
    })
    return c.body(null, 204)
  })

  app.get('/:topic/partitions', async (c) => {
    const links = linksFor(c.req.url, clusterId)
    const topic = await topics.describe(c.req.param('topic'))
    const partitions = Array.from({ length: topic.partitionsCount }, (_, p) =>
      partitionResource(links, topic.name, p),
    )
    return c.json(list('KafkaPartitionList', links.partitions(topic.name), partitions))
  })

  app.get('/:topic/partitions/:partition', async (c) => {
    const partition = nonNegativeInteger(c.req.param('partition'), 'partition_id')
    const topic = await topics.partition(c.req.param('topic'), partition)
    return c.json(partitionResource(linksFor(c.req.url, clusterId), topic.name, partition))
  })

  app.get('/:topic/partitions/:partition/replicas', async (c) => {
    const links = linksFor(c.req.url, clusterId)
    const partition = nonNegativeInteger(c.req.param('partition'), 'partition_id')
    const topic = await topics.partition(c.req.param('topic'), partition)
    return c.json(
      list('KafkaReplicaList', links.replicas(topic.name, partition), [
        replicaResource(links, topic.name, partition),
      ]),
    )
  })

  app.get('/:topic/partitions/:partition/replicas/:broker', async (c) => {
    const partition = nonNegativeInteger(c.req.param('partition'), 'partition_id')
    const brokerId = nonNegativeInteger(c.req.param('broker'), 'broker_id')
    const topic = await topics.partition(c.req.param('topic'), partition)
    if (brokerId !== BROKER_ID) throw new BrokerNotFoundError(brokerId)
    return c.json(replicaResource(linksFor(c.req.url, clusterId), topic.name, partition))
  })

  app.get('/:topic/partitions/:partition/offset', async (c) => {
    const partition = nonNegativeInteger(c.req.param('partition'), 'partition_id')
    const topic = await topics.partition(c.req.param('topic'), partition)
    const head = await topics.offsets(topic, partition)
    return c.json({
      kind: 'KafkaPartitionOffsets',
      cluster_id: clusterId,
      topic_name: topic.name,
      partition_id: partition,
      earliest_offset: head.logStartOffset,
      latest_offset: head.logEndOffset,
    })
  })

  return app
}
