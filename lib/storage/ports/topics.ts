import { InvalidPartitionsError } from '../../errors.ts'

/** A topic as stored: its configs hold only the values set on the topic, not defaults. */
export interface TopicItem {
  readonly name: string
  /** Changes when a topic is deleted and re-created, so old data never resurfaces. */
  readonly topicId: string
  readonly partitionsCount: number
  readonly configs: Readonly<Record<string, string>>
  readonly createdAt: number
}

export interface ConfigChanges {
  readonly set: Readonly<Record<string, string>>
  readonly remove: readonly string[]
}

/**
 * The topics, by name. Every change is conditional on the topic being the one
 * the caller read (same topic id), so a change never lands on a topic deleted
 * and re-created meanwhile.
 */
export interface TopicStore {
  /** Throws TopicExistsError when a topic of that name exists. */
  create(topic: TopicItem): Promise<void>
  get(name: string): Promise<TopicItem | undefined>
  /** Every topic, by name. */
  list(): Promise<TopicItem[]>
  /** Throws TopicNotFoundError when the topic is gone or its name was taken anew. */
  delete(topic: TopicItem): Promise<void>
  /**
   * Raises the partition count. Throws TopicNotFoundError when the topic is
   * gone, and InvalidPartitionsError when it already has that many or more.
   */
  increasePartitions(topic: TopicItem, partitionsCount: number): Promise<void>
  /** Sets and removes configs; no changes is a no-op. Throws TopicNotFoundError when the topic is gone. */
  alterConfigs(topic: TopicItem, changes: ConfigChanges): Promise<void>
}

/** Why increasePartitions refuses a count the topic already has (or exceeds). */
export function partitionsCannotShrink(
  topicName: string,
  partitionsCount: number,
): InvalidPartitionsError {
  return new InvalidPartitionsError(
    `Topic '${topicName}' already has ${partitionsCount} partitions; the count can only grow.`,
  )
}
