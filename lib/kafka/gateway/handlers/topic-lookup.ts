import { TopicNotFoundError } from '../../../errors.ts'
import type { TopicItem } from '../../../storage/ports/topics.ts'
import type { GatewayContext } from '../context.ts'

/**
 * The topics a request names, each looked up once; a topic that does not exist
 * maps to undefined, so each handler answers it with its own error code.
 */
export async function lookUpTopics(
  context: GatewayContext,
  names: Iterable<string>,
): Promise<Map<string, TopicItem | undefined>> {
  const unique = [...new Set(names)]
  const found = await Promise.all(
    unique.map((name) =>
      context.broker.topics.describe(name).catch((error: unknown) => {
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
