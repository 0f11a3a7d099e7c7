import { TopicExistsError, TopicNotFoundError } from '../../errors.ts'
import {
  type ConfigChanges,
  partitionsCannotShrink,
  type TopicItem,
  type TopicStore,
} from '../ports/topics.ts'

/** The topics in memory, by name. */
export class MemoryTopicStore implements TopicStore {
  private readonly topics = new Map<string, TopicItem>()

  async create(topic: TopicItem): Promise<void> {
    if (this.topics.has(topic.name)) throw new TopicExistsError(topic.name)
    this.topics.set(topic.name, structuredClone(topic))
  }

  async get(name: string): Promise<TopicItem | undefined> {
    return structuredClone(this.topics.get(name))
  }

  async list(): Promise<TopicItem[]> {
    return structuredClone([...this.topics.values()]).sort((a, b) => a.name.localeCompare(b.name))
  }

  async delete(topic: TopicItem): Promise<void> {
    this.current(topic)
    this.topics.delete(topic.name)
  }

  async increasePartitions(topic: TopicItem, partitionsCount: number): Promise<void> {
    const current = this.current(topic)
    if (current.partitionsCount >= partitionsCount) {
      throw partitionsCannotShrink(topic.name, current.partitionsCount)
    }
    this.topics.set(topic.name, { ...current, partitionsCount })
  }

  async alterConfigs(topic: TopicItem, changes: ConfigChanges): Promise<void> {
    // As in DynamoDB, where an update with nothing to set or remove is never sent.
    if (Object.keys(changes.set).length === 0 && changes.remove.length === 0) return
    const current = this.current(topic)
    const configs: Record<string, string> = { ...current.configs, ...changes.set }
    for (const name of changes.remove) delete configs[name]
    this.topics.set(topic.name, { ...current, configs })
  }

  /** The stored topic, if it is still the one given (same id); else TopicNotFoundError. */
  private current(topic: TopicItem): TopicItem {
    const current = this.topics.get(topic.name)
    if (current?.topicId !== topic.topicId) throw new TopicNotFoundError(topic.name)
    return current
  }
}
