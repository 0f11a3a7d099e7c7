import { describe, expect, it } from 'vitest'
import {
  ingestObjectKey,
  partitionKey,
  segmentObjectKey,
  topicIdOfObjectKey,
  topicIdOfPartitionKey,
  topicObjectPrefix,
} from '../../../lib/storage/keys.ts'

const TOPIC = '6f1c2d9e-0000-4000-8000-000000000001'

describe('object and partition keys', () => {
  it('puts ingest and segment objects under their topic, where GC finds the topic again', () => {
    for (const key of [ingestObjectKey(TOPIC), segmentObjectKey(TOPIC, 3)]) {
      expect(key.startsWith(topicObjectPrefix(TOPIC))).toBe(true)
      expect(topicIdOfObjectKey(key)).toBe(TOPIC)
    }
    expect(segmentObjectKey(TOPIC, 3)).toMatch(new RegExp(`^topics/${TOPIC}/segments/3/`))
    expect(segmentObjectKey(TOPIC, 3)).not.toBe(segmentObjectKey(TOPIC, 3))
  })

  it('finds no topic in keys that are not a topic object', () => {
    expect(topicIdOfObjectKey('other/thing')).toBeUndefined()
    expect(topicIdOfObjectKey('topics/')).toBeUndefined()
  })

  it('reads the topic id back out of a partition key', () => {
    expect(topicIdOfPartitionKey(partitionKey(TOPIC, 12))).toBe(TOPIC)
  })
})
