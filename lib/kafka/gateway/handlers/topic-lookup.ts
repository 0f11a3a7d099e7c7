import { PartitionNotFoundError, TopicNotFoundError } from '../../../errors.ts'
import type { TopicItem } from '../../../storage/ports/topics.ts'
import type { GatewayContext } from '../context.ts'

/**
 * The topics a request names, each looked up once; a topic that does not exist
 * maps to undefined, so each handler answers it with its own error code.
 */
export function lookUpTopics(
  context: GatewayContext,
  names: Iterable<string>,
): Promise<Map<string, TopicItem | undefined>> {
  return lookUpEach(names, (name) => context.broker.topics.describe(name))
}

/**
 * lookUpTopics for reading, as the read API reads: a topic looked up within
 * the last second will do (Topics.lookup), unless it lacks a partition asked
 * for, which the stored topic may have gained since. `highest` maps each name
 * to the highest partition asked for.
 */
export function lookUpTopicsToRead(
  context: GatewayContext,
  highest: ReadonlyMap<string, number>,
): Promise<Map<string, TopicItem | undefined>> {
  const { topics } = context.broker
  return lookUpEach(highest.keys(), (name) =>
    topics.lookupPartition(name, highest.get(name) ?? 0).catch((error: unknown) => {
      // Checked against the stored topic, which is now the cached one: its other partitions are answered.
      if (error instanceof PartitionNotFoundError) return topics.lookup(name)
      throw error
    }),
  )
}

async function lookUpEach(
  names: Iterable<string>,
  find: (name: string) => Promise<TopicItem>,
): Promise<Map<string, TopicItem | undefined>> {
  const unique = [...new Set(names)]
  const found = await Promise.all(
    unique.map((name) =>
      find(name).catch((error: unknown) => {
        if (error instanceof TopicNotFoundError) return undefined
        throw error
      }),
    ),
  )
  return new Map(unique.map((name, i) => [name, found[i]]))
}

export function hasPartition(topic: TopicItem, partition: number): boolean {
  return Number.isInteger(partition) && partition >= 0 && partition < topic.partitionsCount
}
