import type { ResolvedConfig } from '../../broker/topic-configs.ts'
import type { TopicItem } from '../../storage/topic-table.ts'

/**
 * The REST Proxy v3 resource shapes: each carries its kind, a self link and a
 * resource name, and links to its children, so clients can walk the API.
 */

/**
 * Sluice has no broker replicas: S3 stores every object redundantly across at
 * least three availability zones, which is what a replication factor of 3 promises.
 */
const REPLICATION_FACTOR = 3

export class ResourceLinks {
  constructor(
    private readonly origin: string,
    readonly clusterId: string,
  ) {}

  clusters(): string {
    return `${this.origin}/v3/clusters`
  }

  cluster(): string {
    return `${this.clusters()}/${this.clusterId}`
  }

  topics(): string {
    return `${this.cluster()}/topics`
  }

  topic(name: string): string {
    return `${this.topics()}/${name}`
  }

  partitions(topic: string): string {
    return `${this.topic(topic)}/partitions`
  }

  partition(topic: string, partition: number): string {
    return `${this.partitions(topic)}/${partition}`
  }

  configs(topic: string): string {
    return `${this.topic(topic)}/configs`
  }

  crn(...parts: string[]): string {
    return ['crn://', `kafka=${this.clusterId}`, ...parts].join('/')
  }
}

export function list(kind: string, self: string, data: readonly unknown[]) {
  return { kind, metadata: { self, next: null }, data }
}

export function clusterResource(links: ResourceLinks) {
  const self = links.cluster()
  return {
    kind: 'KafkaCluster',
    metadata: { self, resource_name: links.crn() },
    cluster_id: links.clusterId,
    controller: null,
    acls: { related: `${self}/acls` },
    brokers: { related: `${self}/brokers` },
    broker_configs: { related: `${self}/broker-configs` },
    consumer_groups: { related: `${self}/consumer-groups` },
    topics: { related: links.topics() },
    partition_reassignments: { related: `${self}/topics/-/partitions/-/reassignment` },
  }
}

export function topicResource(links: ResourceLinks, topic: TopicItem) {
  return {
    kind: 'KafkaTopic',
    metadata: { self: links.topic(topic.name), resource_name: links.crn(`topic=${topic.name}`) },
    cluster_id: links.clusterId,
    topic_name: topic.name,
    topic_id: topic.topicId,
    is_internal: false,
    replication_factor: REPLICATION_FACTOR,
    partitions_count: topic.partitionsCount,
    partitions: { related: links.partitions(topic.name) },
    configs: { related: links.configs(topic.name) },
    partition_reassignments: { related: `${links.partitions(topic.name)}/-/reassignment` },
    authorized_operations: [],
  }
}

export function partitionResource(links: ResourceLinks, topic: string, partition: number) {
  const self = links.partition(topic, partition)
  return {
    kind: 'KafkaPartition',
    metadata: { self, resource_name: links.crn(`topic=${topic}`, `partition=${partition}`) },
    cluster_id: links.clusterId,
    topic_name: topic,
    partition_id: partition,
    leader: null,
    replicas: { related: `${self}/replicas` },
    reassignment: { related: `${self}/reassignment` },
  }
}

export function configResource(links: ResourceLinks, topic: string, config: ResolvedConfig) {
  return {
    kind: 'KafkaTopicConfig',
    metadata: {
      self: `${links.configs(topic)}/${config.name}`,
      resource_name: links.crn(`topic=${topic}`, `config=${config.name}`),
    },
    cluster_id: links.clusterId,
    topic_name: topic,
    name: config.name,
    value: config.value,
    is_default: config.isDefault,
    is_read_only: false,
    is_sensitive: false,
    source: config.isDefault ? 'DEFAULT_CONFIG' : 'DYNAMIC_TOPIC_CONFIG',
    synonyms: [],
  }
}
