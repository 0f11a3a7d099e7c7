import { randomUUID } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import {
  InvalidConfigError,
  InvalidPartitionsError,
  PartitionNotFoundError,
  TopicNotFoundError,
} from '../errors.ts'
import type { PartitionHead, PartitionHeads } from '../storage/ports/log.ts'
import type { TopicItem, TopicStore } from '../storage/ports/topics.ts'
import {
  validateTopicConfig,
  validateTopicConfigName,
  validateTopicConfigs,
} from './topic-configs.ts'
import { validateTopicName } from './topic-names.ts'

/** Sluice's own bound: every partition costs a head item and a share of each read of them. */
export const MAX_PARTITIONS = 1000

export const DEFAULT_PARTITIONS = 1

/**
 * How long produce and read paths reuse a topic they looked up. Commits and
 * reads are keyed by topic id, so a stale entry never mixes two topics' data;
 * what it can do, for at most this long after a change made by another
 * process, is apply old configs, leave new partitions unused by keyed records,
 * or let a produce land under the id of a topic just deleted (as if it had
 * landed just before the delete). Changes made through this process drop the
 * entry at once.
 */
export const TOPIC_CACHE_TTL_MS = 1000

/** Topics cached per process; each entry is one small item. */
const TOPIC_CACHE_SIZE = 10_000

export interface CreateTopicRequest {
  readonly name: string
  readonly partitionsCount?: number
  readonly configs?: Readonly<Record<string, string>>
  readonly validateOnly?: boolean
}

export type ConfigChange =
  | { readonly operation: 'SET'; readonly name: string; readonly value: string }
  | { readonly operation: 'DELETE'; readonly name: string }

function validatePartitionsCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_PARTITIONS) {
    throw new InvalidPartitionsError(
      `Number of partitions must be an integer from 1 to ${MAX_PARTITIONS}; got ${count}.`,
    )
  }
}

/** Topic administration: names, partition counts and configs, each change conditional. */
export class Topics {
  private readonly cache = new LRUCache<string, TopicItem>({
    max: TOPIC_CACHE_SIZE,
    ttl: TOPIC_CACHE_TTL_MS,
  })

  constructor(
    private readonly store: TopicStore,
    private readonly heads: PartitionHeads,
    private readonly clock: () => number = Date.now,
  ) {}

  async create(request: CreateTopicRequest): Promise<TopicItem> {
    validateTopicName(request.name)
    const partitionsCount = request.partitionsCount ?? DEFAULT_PARTITIONS
    validatePartitionsCount(partitionsCount)
    const configs = request.configs ?? {}
    validateTopicConfigs(configs)
    const topic: TopicItem = {
      name: request.name,
      topicId: randomUUID(),
      partitionsCount,
      configs,
      createdAt: this.clock(),
    }
    if (!request.validateOnly) await this.changing(topic.name, () => this.store.create(topic))
    return topic
  }

  /** The topic as stored now (a strongly consistent read). */
  async describe(name: string): Promise<TopicItem> {
    const topic = await this.store.get(name)
    if (!topic) throw new TopicNotFoundError(name)
    return topic
  }

  /**
   * The topic for producing to or reading from it: the one looked up within
   * the last TOPIC_CACHE_TTL_MS, else as stored now. A missing topic is never
   * cached, so a topic created elsewhere is seen by the next request.
   */
  async lookup(name: string): Promise<TopicItem> {
    const cached = this.cache.get(name)
    if (cached) return cached
    const topic = await this.describe(name)
    this.cache.set(name, topic)
    return topic
  }

  /**
   * `lookup`, after checking that the topic has the partition; a partition
   * past the cached count is checked against the stored topic, which may have grown.
   */
  async lookupPartition(name: string, partition: number): Promise<TopicItem> {
    const cached = this.cache.get(name)
    if (cached && hasPartition(cached, partition)) return cached
    this.cache.delete(name)
    const topic = await this.lookup(name)
    if (!hasPartition(topic, partition)) throw new PartitionNotFoundError(name, partition)
    return topic
  }

  list(): Promise<TopicItem[]> {
    return this.store.list()
  }

  /**
   * Removes the topic at once. Its partitions and segments are keyed by the old
   * topic id, so a topic re-created under the same name starts empty; the
   * orphaned items and objects are left for garbage collection.
   */
  async delete(name: string): Promise<void> {
    const topic = await this.describe(name)
    await this.changing(name, () => this.store.delete(topic))
  }

  async increasePartitions(name: string, partitionsCount: number): Promise<TopicItem> {
    validatePartitionsCount(partitionsCount)
    const topic = await this.describe(name)
    // Kafka's CreatePartitions refuses the current count too, not only fewer.
    if (partitionsCount <= topic.partitionsCount) {
      throw new InvalidPartitionsError(
        `Topic '${name}' already has ${topic.partitionsCount} partitions; the count can only grow.`,
      )
    }
    await this.changing(name, () => this.store.increasePartitions(topic, partitionsCount))
    return { ...topic, partitionsCount }
  }

  async alterConfigs(
    name: string,
    changes: readonly ConfigChange[],
    { validateOnly = false } = {},
  ): Promise<TopicItem> {
    const set: Record<string, string> = {}
    const remove: string[] = []
    for (const change of changes) {
      if (change.operation === 'SET') {
        validateTopicConfig(change.name, change.value)
        set[change.name] = change.value
      } else {
        validateTopicConfigName(change.name)
        remove.push(change.name)
      }
    }
    const duplicated = remove.find((config) => config in set)
    if (duplicated) {
      throw new InvalidConfigError(`Config '${duplicated}' is both set and deleted in one request.`)
    }
    const topic = await this.describe(name)
    if (!validateOnly)
      await this.changing(name, () => this.store.alterConfigs(topic, { set, remove }))
    const configs = { ...topic.configs, ...set }
    for (const config of remove) delete configs[config]
    return { ...topic, configs }
  }

  /**
   * Makes a change to the stored topic, dropping the cached one once it is
   * made, so a lookup racing with the change cannot keep the old one.
   */
  private async changing(name: string, change: () => Promise<void>): Promise<void> {
    try {
      await change()
    } finally {
      this.cache.delete(name)
    }
  }

  /** The topic, after checking that it has the partition. */
  async partition(name: string, partition: number): Promise<TopicItem> {
    const topic = await this.describe(name)
    if (!hasPartition(topic, partition)) throw new PartitionNotFoundError(name, partition)
    return topic
  }

  async offsets(topic: TopicItem, partition: number): Promise<PartitionHead> {
    return this.heads.readOne(topic.topicId, partition)
  }

  async allOffsets(topic: TopicItem): Promise<Map<number, PartitionHead>> {
    const partitions = Array.from({ length: topic.partitionsCount }, (_, p) => p)
    return this.heads.read(topic.topicId, partitions)
  }
}

function hasPartition(topic: TopicItem, partition: number): boolean {
  return Number.isInteger(partition) && partition >= 0 && partition < topic.partitionsCount
}
