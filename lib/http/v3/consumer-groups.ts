import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { StartPosition } from '../../broker/reader.ts'
import { CommittedOffsetNotFoundError, ConsumerNotFoundError } from '../../groups/errors.ts'
import type { GroupDescription, PartitionLag } from '../../groups/group-admin.ts'
import type { MemberRecord } from '../../groups/group-records.ts'
import { heldBy } from '../../groups/group-records.ts'
import { parsePartitionKey, sortPartitionKeys } from '../../groups/topic-partitions.ts'
import type { HttpDeps } from '../deps.ts'
import { nonNegativeInteger } from '../params.ts'
import { jsonBody } from '../request-body.ts'
import { list, ResourceLinks } from './resources.ts'

/** Links of one group's resources, beside the cluster's own. */
class GroupLinks {
  constructor(
    readonly cluster: ResourceLinks,
    readonly groupId: string,
  ) {}

  group(): string {
    return `${this.cluster.cluster()}/consumer-groups/${encodeURIComponent(this.groupId)}`
  }

  consumer(consumerId: string): string {
    return `${this.group()}/consumers/${encodeURIComponent(consumerId)}`
  }

  lag(topic: string, partition: number): string {
    return `${this.group()}/lags/${topic}/partitions/${partition}`
  }

  crn(...parts: string[]): string {
    return this.cluster.crn(`consumer-group=${this.groupId}`, ...parts)
  }
}

function groupResource(links: GroupLinks, { group, state }: GroupDescription) {
  return {
    kind: 'KafkaConsumerGroup',
    metadata: { self: links.group(), resource_name: links.crn() },
    cluster_id: links.cluster.clusterId,
    consumer_group_id: group.groupId,
    // A group only ever committed to, never joined, is Kafka's "simple" group.
    is_simple: group.groupEpoch === 0,
    partition_assignor: group.assignor,
    state,
    type: 'CONSUMER',
    is_mixed_consumer_group: false,
    // Any node coordinates any group: there is no coordinator broker to point at.
    coordinator: null,
    consumers: { related: `${links.group()}/consumers` },
    lag_summary: { related: `${links.group()}/lag-summary` },
  }
}

function consumerResource(links: GroupLinks, member: MemberRecord) {
  const self = links.consumer(member.memberId)
  return {
    kind: 'KafkaConsumer',
    metadata: { self, resource_name: links.crn(`consumer=${member.memberId}`) },
    cluster_id: links.cluster.clusterId,
    consumer_group_id: links.groupId,
    consumer_id: member.memberId,
    instance_id: null,
    client_id: member.clientId,
    assignments: { related: `${self}/assignments` },
  }
}

function assignmentResource(links: GroupLinks, member: MemberRecord, key: string) {
  const { topic, partition } = parsePartitionKey(key)
  const self = `${links.consumer(member.memberId)}/assignments/${topic}/partitions/${partition}`
  return {
    kind: 'KafkaConsumerAssignment',
    metadata: {
      self,
      resource_name: links.crn(
        `consumer=${member.memberId}`,
        `topic=${topic}`,
        `partition=${partition}`,
      ),
    },
    cluster_id: links.cluster.clusterId,
    consumer_group_id: links.groupId,
    consumer_id: member.memberId,
    topic_name: topic,
    partition_id: partition,
    partition: { related: links.cluster.partition(topic, partition) },
    lag: { related: links.lag(topic, partition) },
  }
}

function lagResource(links: GroupLinks, lag: PartitionLag) {
  return {
    kind: 'KafkaConsumerLag',
    metadata: {
      self: links.lag(lag.topic, lag.partition),
      resource_name: links.crn(`lag=${lag.topic}`, `partition=${lag.partition}`),
    },
    cluster_id: links.cluster.clusterId,
    consumer_group_id: links.groupId,
    topic_name: lag.topic,
    partition_id: lag.partition,
    consumer_id: lag.member?.memberId ?? '',
    instance_id: null,
    client_id: lag.member?.clientId ?? '',
    // Nothing committed: null, as Kafka's admin client reports no offset there.
    current_offset: lag.currentOffset ?? null,
    log_end_offset: lag.logEndOffset,
    lag: lag.lag,
  }
}

function lagSummaryResource(links: GroupLinks, lags: readonly PartitionLag[]) {
  const max = lags.reduce<PartitionLag | undefined>(
    (most, lag) => (most === undefined || lag.lag > most.lag ? lag : most),
    undefined,
  )
  return {
    kind: 'KafkaConsumerGroupLagSummary',
    metadata: { self: `${links.group()}/lag-summary`, resource_name: links.crn('lag-summary') },
    cluster_id: links.cluster.clusterId,
    consumer_group_id: links.groupId,
    max_lag: max?.lag ?? 0,
    total_lag: lags.reduce((sum, lag) => sum + lag.lag, 0),
    max_lag_consumer_id: max?.member?.memberId ?? '',
    max_lag_consumer: max?.member ? { related: links.consumer(max.member.memberId) } : null,
    max_lag_client_id: max?.member?.clientId ?? '',
    max_lag_instance_id: null,
    max_lag_topic_name: max?.topic ?? '',
    max_lag_partition_id: max?.partition ?? null,
    max_lag_partition: max ? { related: links.cluster.partition(max.topic, max.partition) } : null,
  }
}

const instant = z.string().refine((text) => Number.isFinite(Date.parse(text)), {
  message: 'must be an RFC 3339 timestamp',
})

const selection = {
  /** Answer what would be committed, commit nothing: Kafka's --dry-run. */
  validate_only: z.boolean().optional(),
  topics: z.array(z.string().min(1)).min(1).optional(),
  partitions: z
    .array(
      z.object({ topic_name: z.string().min(1), partition_id: z.number().int().nonnegative() }),
    )
    .min(1)
    .optional(),
}

/** Kafka's kafka-consumer-groups --reset-offsets: --to-earliest, --to-latest, --to-offset, --to-datetime. */
const resetBody = z
  .discriminatedUnion('to', [
    z.object({ to: z.literal('earliest'), ...selection }),
    z.object({ to: z.literal('latest'), ...selection }),
    z.object({ to: z.literal('offset'), offset: z.number().int().nonnegative(), ...selection }),
    z.object({ to: z.literal('timestamp'), timestamp: instant, ...selection }),
  ])
  .refine((body) => !(body.topics && body.partitions), {
    message: 'give topics or partitions, not both',
  })

function resetTarget(body: z.infer<typeof resetBody>): StartPosition {
  switch (body.to) {
    case 'earliest':
    case 'latest':
      return { kind: body.to }
    case 'offset':
      return { kind: 'offset', offset: body.offset }
    case 'timestamp':
      return { kind: 'timestamp', timestamp: Date.parse(body.timestamp) }
  }
}

/** Consumer groups under /v3/clusters/{cluster}/consumer-groups: read-only views, offset reset and delete. */
export function consumerGroupRoutes({ groups, clusterId }: HttpDeps): Hono {
  const { admin } = groups
  const app = new Hono()
  const linksFor = (c: Context) =>
    new GroupLinks(
      new ResourceLinks(new URL(c.req.url).origin, clusterId),
      c.req.param('group') ?? '',
    )

  const memberOf = (description: GroupDescription, consumerId: string) => {
    const member = description.members.find((m) => m.memberId === consumerId)
    if (!member) throw new ConsumerNotFoundError(description.group.groupId, consumerId)
    return member
  }

  app.get('/', async (c) => {
    const cluster = new ResourceLinks(new URL(c.req.url).origin, clusterId)
    const groups = await admin.list()
    return c.json(
      list(
        'KafkaConsumerGroupList',
        `${cluster.cluster()}/consumer-groups`,
        groups.map((group) => groupResource(new GroupLinks(cluster, group.group.groupId), group)),
      ),
    )
  })

  app.get('/:group', async (c) =>
    c.json(groupResource(linksFor(c), await admin.describe(c.req.param('group')))),
  )

  app.delete('/:group', async (c) => {
    await admin.delete(c.req.param('group'))
    return c.body(null, 204)
  })

  // The literal 'offsets:reset' (\x3a is the colon), as for records:batch.
  app.post('/:group/:action{offsets\\x3areset}', async (c) => {
    const body = await jsonBody(c, resetBody)
    const groupId = c.req.param('group')
    const offsets = await admin.resetOffsets(
      groupId,
      {
        ...(body.topics && { topics: body.topics }),
        ...(body.partitions && {
          partitions: body.partitions.map((p) => ({
            topic: p.topic_name,
            partition: p.partition_id,
          })),
        }),
      },
      resetTarget(body),
      { validateOnly: body.validate_only ?? false },
    )
    return c.json({
      cluster_id: clusterId,
      consumer_group_id: groupId,
      data: offsets.map((offset) => ({
        topic_name: offset.topic,
        partition_id: offset.partition,
        offset: offset.offset,
      })),
    })
  })

  app.get('/:group/consumers', async (c) => {
    const links = linksFor(c)
    const { members } = await admin.describe(links.groupId)
    return c.json(
      list(
        'KafkaConsumerList',
        `${links.group()}/consumers`,
        [...members]
          .sort((a, b) => (a.memberId < b.memberId ? -1 : 1))
          .map((member) => consumerResource(links, member)),
      ),
    )
  })

  app.get('/:group/consumers/:consumer', async (c) => {
    const links = linksFor(c)
    const member = memberOf(await admin.describe(links.groupId), c.req.param('consumer'))
    return c.json(consumerResource(links, member))
  })

  app.get('/:group/consumers/:consumer/assignments', async (c) => {
    const links = linksFor(c)
    const member = memberOf(await admin.describe(links.groupId), c.req.param('consumer'))
    return c.json(
      list(
        'KafkaConsumerAssignmentList',
        `${links.consumer(member.memberId)}/assignments`,
        sortPartitionKeys(heldBy(member)).map((key) => assignmentResource(links, member, key)),
      ),
    )
  })

  app.get('/:group/lags', async (c) => {
    const links = linksFor(c)
    const lags = await admin.lags(links.groupId)
    return c.json(
      list(
        'KafkaConsumerLagList',
        `${links.group()}/lags`,
        lags.map((lag) => lagResource(links, lag)),
      ),
    )
  })

  app.get('/:group/lags/:topic/partitions/:partition', async (c) => {
    const links = linksFor(c)
    const partition = nonNegativeInteger(c.req.param('partition'), 'partition_id')
    const topic = c.req.param('topic')
    const lag = (await admin.lags(links.groupId)).find(
      (l) => l.topic === topic && l.partition === partition,
    )
    if (!lag) throw new CommittedOffsetNotFoundError(links.groupId, topic, partition)
    return c.json(lagResource(links, lag))
  })

  app.get('/:group/lag-summary', async (c) => {
    const links = linksFor(c)
    return c.json(lagSummaryResource(links, await admin.lags(links.groupId)))
  })

  return app
}
