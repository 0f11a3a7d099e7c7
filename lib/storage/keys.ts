import { randomUUID } from 'node:crypto'

/** Key of a partition in the partitions and segments tables. */
export function partitionKey(topicId: string, partition: number): string {
  return `${topicId}/${partition}`
}

/**
 * A fresh key for an ingest object. The random component spreads writes over
 * S3 prefixes; the topic id prefix lets a deleted topic's data be found by listing.
 */
export function ingestObjectKey(topicId: string): string {
  return `topics/${topicId}/ingest/${randomUUID()}`
}
