import type { ClusterPaths } from './cluster.ts'
import { SluiceRequestError } from './errors.ts'
import { segment, type Transport } from './transport.ts'

/** Kafka's TOPIC_ALREADY_EXISTS, as the REST Proxy reports it. */
const TOPIC_EXISTS = 40002

export interface NewTopic {
  readonly topic: string
  /** The broker's default (1) when absent. */
  readonly numPartitions?: number
  readonly configEntries?: readonly { readonly name: string; readonly value: string }[]
}

export interface TopicDescription {
  readonly name: string
  /** Changes when a topic is deleted and created again under the same name. */
  readonly topicId: string
  readonly partitionsCount: number
}

export interface PartitionOffsets {
  readonly partition: number
  /** The log start offset: the first offset still stored. */
  readonly low: number
  /** The log end offset: the offset the next record gets. */
  readonly high: number
}

export interface TopicConfig {
  readonly name: string
  readonly value: string | null
  readonly isDefault: boolean
}

export type ConfigChange =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly operation: 'DELETE' }

export interface GroupOverview {
  readonly groupId: string
  /** EMPTY, STABLE, ASSIGNING, RECONCILING, ... as the REST Proxy names them. */
  readonly state: string
  readonly assignor: string
}

export interface GroupMember {
  readonly consumerId: string
  readonly clientId: string
}

export interface PartitionLag {
  readonly topic: string
  readonly partition: number
  /** The committed offset: the next record the group reads; null when nothing is committed. */
  readonly currentOffset: number | null
  readonly logEndOffset: number
  /** To the log end from the committed offset, or from the log start when there is none; never negative. */
  readonly lag: number
  /** The member holding the partition, or empty when none does. */
  readonly consumerId: string
  readonly clientId: string
}

export type OffsetTarget =
  | { readonly to: 'earliest' | 'latest' }
  | { readonly to: 'offset'; readonly offset: number }
  | { readonly to: 'timestamp'; readonly timestamp: Date }

export interface ResetOffsetsRequest {
  readonly groupId: string
  readonly target: OffsetTarget
  /** Which partitions: these topics, these partitions, or (neither) all the group has committed. */
  readonly topics?: readonly string[]
  readonly partitions?: readonly { readonly topic: string; readonly partition: number }[]
}

export interface CommittedOffset {
  readonly topic: string
  readonly partition: number
  readonly offset: number
}

interface Listing<T> {
  readonly data: readonly T[]
}

interface TopicResource {
  readonly topic_name: string
  readonly topic_id: string
  readonly partitions_count: number
}

function topicDescription(resource: TopicResource): TopicDescription {
  return {
    name: resource.topic_name,
    topicId: resource.topic_id,
    partitionsCount: resource.partitions_count,
  }
}

/** Topics, their configs and offsets, and consumer groups, as kafkajs's admin client shapes them. */
export class Admin {
  constructor(
    private readonly transport: Transport,
    private readonly cluster: ClusterPaths,
  ) {}

  async listTopics(): Promise<string[]> {
    const list = await this.get<Listing<TopicResource>>('topics')
    return list.data.map((topic) => topic.topic_name)
  }

  /**
   * Creates the topics; resolves true when all were created, false when some
   * already existed (those are left as they are), as kafkajs does.
   */
  async createTopics(request: {
    readonly topics: readonly NewTopic[]
    readonly validateOnly?: boolean
  }): Promise<boolean> {
    let created = true
    for (const topic of request.topics) {
      try {
        await this.call('POST', 'topics', {
          topic_name: topic.topic,
          ...(topic.numPartitions !== undefined && { partitions_count: topic.numPartitions }),
          configs: topic.configEntries ?? [],
          validate_only: request.validateOnly ?? false,
        })
      } catch (error) {
        if (!(await this.existed(error, topic.topic))) throw error
        created = false
      }
    }
    return created
  }

  async describeTopic(topic: string): Promise<TopicDescription> {
    return topicDescription(await this.get<TopicResource>(`topics/${segment(topic)}`))
  }

  async deleteTopics(request: { readonly topics: readonly string[] }): Promise<void> {
    for (const topic of request.topics) await this.call('DELETE', `topics/${segment(topic)}`)
  }

  /** Grows topics to `count` partitions (never shrinks them, as in Kafka). */
  async createPartitions(request: {
    readonly topicPartitions: readonly { readonly topic: string; readonly count: number }[]
  }): Promise<void> {
    for (const { topic, count } of request.topicPartitions) {
      await this.call('PATCH', `topics/${segment(topic)}`, { partitions_count: count })
    }
  }

  /** Every partition's log start and end offsets. */
  async fetchTopicOffsets(topic: string): Promise<PartitionOffsets[]> {
    const { partitionsCount } = await this.describeTopic(topic)
    return Promise.all(
      Array.from({ length: partitionsCount }, async (_, partition) => {
        const offsets = await this.get<{ earliest_offset: number; latest_offset: number }>(
          `topics/${segment(topic)}/partitions/${partition}/offset`,
        )
        return { partition, low: offsets.earliest_offset, high: offsets.latest_offset }
      }),
    )
  }

  /** Every config of the topic, defaults included. */
  async describeTopicConfigs(topic: string): Promise<TopicConfig[]> {
    const list = await this.get<
      Listing<{ name: string; value: string | null; is_default: boolean }>
    >(`topics/${segment(topic)}/configs`)
    return list.data.map((c) => ({ name: c.name, value: c.value, isDefault: c.is_default }))
  }

  /** Sets and deletes configs in one step: all change, or none does. */
  async alterTopicConfigs(
    topic: string,
    changes: readonly ConfigChange[],
    options: { readonly validateOnly?: boolean } = {},
  ): Promise<void> {
    await this.call('POST', `topics/${segment(topic)}/configs:alter`, {
      data: changes.map((change) =>
        'operation' in change
          ? { name: change.name, operation: 'DELETE' }
          : { name: change.name, value: change.value, operation: 'SET' },
      ),
      validate_only: options.validateOnly ?? false,
    })
  }

  async listGroups(): Promise<GroupOverview[]> {
    const list =
      await this.get<
        Listing<{ consumer_group_id: string; state: string; partition_assignor: string }>
      >('consumer-groups')
    return list.data.map((group) => ({
      groupId: group.consumer_group_id,
      state: group.state,
      assignor: group.partition_assignor,
    }))
  }

  async describeGroup(groupId: string): Promise<GroupOverview & { members: GroupMember[] }> {
    const group = `consumer-groups/${segment(groupId)}`
    const [overview, members] = await Promise.all([
      this.get<{ state: string; partition_assignor: string }>(group),
      this.get<Listing<{ consumer_id: string; client_id: string }>>(`${group}/consumers`),
    ])
    return {
      groupId,
      state: overview.state,
      assignor: overview.partition_assignor,
      members: members.data.map((m) => ({ consumerId: m.consumer_id, clientId: m.client_id })),
    }
  }

  /** Committed offset, log end and lag of every partition the group reads or has committed, as `kafka-consumer-groups --describe`. */
  async fetchGroupLags(groupId: string): Promise<PartitionLag[]> {
    const list = await this.get<
      Listing<{
        topic_name: string
        partition_id: number
        current_offset: number | null
        log_end_offset: number
        lag: number
        consumer_id: string
        client_id: string
      }>
    >(`consumer-groups/${segment(groupId)}/lags`)
    return list.data.map((lag) => ({
      topic: lag.topic_name,
      partition: lag.partition_id,
      currentOffset: lag.current_offset,
      logEndOffset: lag.log_end_offset,
      lag: lag.lag,
      consumerId: lag.consumer_id,
      clientId: lag.client_id,
    }))
  }

  /** Moves a group's committed offsets; the group must have no members, as in Kafka. */
  async resetGroupOffsets(request: ResetOffsetsRequest): Promise<CommittedOffset[]> {
    const { target } = request
    const answer = await this.call<{
      data: { topic_name: string; partition_id: number; offset: number }[]
    }>('POST', `consumer-groups/${segment(request.groupId)}/offsets:reset`, {
      to: target.to,
      ...(target.to === 'offset' && { offset: target.offset }),
      ...(target.to === 'timestamp' && { timestamp: target.timestamp.toISOString() }),
      ...(request.topics && { topics: request.topics }),
      ...(request.partitions && {
        partitions: request.partitions.map((p) => ({
          topic_name: p.topic,
          partition_id: p.partition,
        })),
      }),
    })
    return answer.data.map((o) => ({
      topic: o.topic_name,
      partition: o.partition_id,
      offset: o.offset,
    }))
  }

  /** Deletes a group without members, with its committed offsets. */
  async deleteGroups(groupIds: readonly string[]): Promise<void> {
    for (const groupId of groupIds) {
      await this.call('DELETE', `consumer-groups/${segment(groupId)}`)
    }
  }

  private get<T>(rest: string): Promise<T> {
    return this.call<T>('GET', rest)
  }

  private async call<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    rest: string,
    body?: unknown,
  ): Promise<T> {
    const path = await this.cluster.path(rest)
    return this.transport.json<T>({ method, path, ...(body !== undefined && { body }) })
  }

  /**
   * 40002 also means an invalid name or config; only a topic that is there
   * now was "already there". Answers the question with one more request.
   */
  private async existed(error: unknown, topic: string): Promise<boolean> {
    if (!(error instanceof SluiceRequestError) || error.errorCode !== TOPIC_EXISTS) return false
    try {
      await this.describeTopic(topic)
      return true
    } catch {
      return false
    }
  }
}
