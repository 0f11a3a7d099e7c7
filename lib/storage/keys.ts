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

/** Where the objects of every topic live. */
export const TOPIC_OBJECTS_ROOT = 'topics/'

/** Where every object of a topic lives. */
export function topicObjectPrefix(topicId: string): string {
  return `${TOPIC_OBJECTS_ROOT}${topicId}/`
}

/** A fresh key for a segment object that maintenance writes for one partition. */
export function segmentObjectKey(topicId: string, partition: number): string {
  return `${topicObjectPrefix(topicId)}segments/${partition}/${randomUUID()}`
}

/** The topic id an object key was made for, if it is a topic's object. */
export function topicIdOfObjectKey(key: string): string | undefined {
  if (!key.startsWith(TOPIC_OBJECTS_ROOT)) return undefined
  return key.slice(TOPIC_OBJECTS_ROOT.length).split('/')[0] || undefined
}

/** The topic id a partition key was made from. */
export function topicIdOfPartitionKey(key: string): string {
  return key.slice(0, key.lastIndexOf('/'))
}
