import type { ResolvedConfig } from '../../broker/topic-configs.ts'
import type { TopicItem } from '../../storage/ports/topics.ts'

/**
 * The REST Proxy v3 resource shapes: each carries its kind, a self link and a
 * resource name, and links to its children, so clients can walk the API.
 */

/**
 * Sluice has no broker replicas: S3 stores every object redundantly across at
 * least three availability zones, which is what a replication factor of 3 promises.
 */
const REPLICATION_FACTOR = 3

/**
 * Every node answers for the whole cluster, so the API shows one logical
 * broker, which leads every partition (as the v2 API's broker 0 does).
 */
export const BROKER_ID = 0

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

  brokers(): string {
    return `${this.cluster()}/brokers`
  }

  broker(): string {
    return `${this.brokers()}/${BROKER_ID}`
  }

  replicas(topic: string, partition: number): string {
    return `${this.partition(topic, partition)}/replicas`
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
    controller: { related: links.broker() },
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
    leader: { related: `${links.replicas(topic, partition)}/${BROKER_ID}` },
    replicas: { related: links.replicas(topic, partition) },
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

/** The one logical broker; `origin` is where the client reached it. */
export function brokerResource(links: ResourceLinks, origin: URL) {
  const self = links.broker()
  return {
    kind: 'KafkaBroker',
    metadata: { self, resource_name: links.crn(`broker=${BROKER_ID}`) },
    cluster_id: links.clusterId,
    broker_id: BROKER_ID,
    host: origin.hostname,
    port: Number(origin.port) || (origin.protocol === 'https:' ? 443 : 80),
    rack: null,
    configs: { related: `${self}/configs` },
    partition_replicas: { related: `${self}/partition-replicas` },
  }
}

/** A partition's only replica: on the logical broker, its leader, always in sync. */
export function replicaResource(links: ResourceLinks, topic: string, partition: number) {
  return {
    kind: 'KafkaReplica',
    metadata: {
      self: `${links.replicas(topic, partition)}/${BROKER_ID}`,
      resource_name: links.crn(`topic=${topic}`, `partition=${partition}`, `replica=${BROKER_ID}`),
    },
    cluster_id: links.clusterId,
    topic_name: topic,
    partition_id: partition,
    broker_id: BROKER_ID,
    is_leader: true,
    is_in_sync: true,
    broker: { related: links.broker() },
  }
}
