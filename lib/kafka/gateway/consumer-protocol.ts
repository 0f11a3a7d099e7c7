/**
 * The "consumer" protocol that classic group members exchange through
 * JoinGroup and SyncGroup as opaque bytes: an int16 version, then the
 * subscription or assignment at that version.
 */
import type { TopicPartition } from '../../groups/topic-partitions.ts'
import {
  type ConsumerProtocolAssignment,
  consumerProtocolAssignment,
} from '../protocol/messages/consumer-protocol-assignment.ts'
import { consumerProtocolSubscription } from '../protocol/messages/consumer-protocol-subscription.ts'
import { ProtocolReader } from '../protocol/reader.ts'
import { ProtocolWriter } from '../protocol/writer.ts'

/** The topics a member subscribes to. A newer version than known is read as the newest known, as Kafka does. */
export function readSubscribedTopics(metadata: Uint8Array): string[] {
  const reader = new ProtocolReader(metadata)
  const version = Math.min(reader.int16(), consumerProtocolSubscription.maxVersion)
  if (version < 0) throw new RangeError(`consumer protocol version ${version}`)
  return consumerProtocolSubscription.read(reader, version).topics
}

/** A member's subscription as classic members describe it (version 0), for DescribeGroups. */
export function writeSubscription(topics: readonly string[]): Buffer {
  const writer = new ProtocolWriter()
  writer.int16(0)
  consumerProtocolSubscription.write(writer, 0, {
    ...consumerProtocolSubscription.defaults(),
    topics: [...topics],
    userData: null,
  })
  return Buffer.from(writer.finish())
}

/** Version 0: what every consumer reads. */
export function writeAssignment(partitions: readonly TopicPartition[]): Buffer {
  const byTopic = new Map<string, number[]>()
  for (const { topic, partition } of partitions) {
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition])
  }
  const assignment: ConsumerProtocolAssignment = {
    ...consumerProtocolAssignment.defaults(),
    assignedPartitions: [...byTopic].map(([topic, indexes]) => ({ topic, partitions: indexes })),
    userData: null,
  }
  const writer = new ProtocolWriter()
  writer.int16(0)
  consumerProtocolAssignment.write(writer, 0, assignment)
  return Buffer.from(writer.finish())
}

export function readAssignment(bytes: Uint8Array): TopicPartition[] {
  const reader = new ProtocolReader(bytes)
  const version = Math.min(reader.int16(), consumerProtocolAssignment.maxVersion)
  return consumerProtocolAssignment
    .read(reader, version)
    .assignedPartitions.flatMap(({ topic, partitions }) =>
      partitions.map((partition) => ({ topic, partition })),
    )
}
