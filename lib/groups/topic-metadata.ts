import type { Topics } from '../broker/topics.ts'
import { TopicNotFoundError } from '../errors.ts'
import type { TopicItem } from '../storage/ports/topics.ts'
import type { TopicSnapshot } from './group-records.ts'
import type { Subscription } from './subscription.ts'

function snapshot(topic: TopicItem): TopicSnapshot {
  return { topicId: topic.topicId, partitions: topic.partitionsCount }
}

/** The topic reads group metadata needs, and all it depends on. */
export type TopicCatalog = Pick<Topics, 'describe' | 'lookup' | 'list'>

/** Looks topics up for groups, where a topic that does not exist (yet, or any more) is simply left out. */
export class TopicMetadata {
  constructor(private readonly topics: TopicCatalog) {}

  /** The named topics that exist, by name. */
  existing(names: Iterable<string>): Promise<Map<string, TopicItem>> {
    return this.found(names, (name) => this.topics.describe(name))
  }

  /** The named topics that exist, as reads look them up (reused for up to TOPIC_CACHE_TTL_MS). */
  readable(names: Iterable<string>): Promise<Map<string, TopicItem>> {
    return this.found(names, (name) => this.topics.lookup(name))
  }

  private async found(
    names: Iterable<string>,
    look: (name: string) => Promise<TopicItem>,
  ): Promise<Map<string, TopicItem>> {
    const found = await Promise.all(
      [...new Set(names)].map((name) =>
        look(name).catch((error: unknown) => {
          if (error instanceof TopicNotFoundError) return undefined
          throw error
        }),
      ),
    )
    return new Map(found.filter((topic) => topic !== undefined).map((topic) => [topic.name, topic]))
  }

  /** The existing topics the subscriptions could match: the named ones, or all when a pattern needs them. */
  async resolve(subscriptions: readonly Subscription[]): Promise<Map<string, TopicSnapshot>> {
    const topics = subscriptions.some((subscription) => subscription.kind === 'pattern')
      ? await this.topics.list()
      : (
          await this.existing(
            subscriptions.flatMap((subscription) =>
              subscription.kind === 'topics' ? subscription.topics : [],
            ),
          )
        ).values()
    return new Map([...topics].map((topic) => [topic.name, snapshot(topic)]))
  }
}
