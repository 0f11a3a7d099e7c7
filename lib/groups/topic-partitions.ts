/** A partition of a topic, named as Kafka clients name it. */
export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

/**
 * How a partition is written in stored lists and maps: `orders/3`. Topic names
 * cannot contain '/', so the key splits back unambiguously.
 */
export type PartitionKey = string

export function partitionKeyOf({ topic, partition }: TopicPartition): PartitionKey {
  return `${topic}/${partition}`
}

export function parsePartitionKey(key: PartitionKey): TopicPartition {
  const slash = key.lastIndexOf('/')
  return { topic: key.slice(0, slash), partition: Number(key.slice(slash + 1)) }
}

export function comparePartitions(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition
}

/** Keys in topic, then partition order (plain string order would put `t/10` before `t/2`). */
export function sortPartitionKeys(keys: Iterable<PartitionKey>): PartitionKey[] {
  return [...keys].map(parsePartitionKey).sort(comparePartitions).map(partitionKeyOf)
}

/** The distinct topics of some partitions, in name order. */
export function topicsOf(partitions: Iterable<TopicPartition>): string[] {
  return [...new Set([...partitions].map((tp) => tp.topic))].sort()
}
