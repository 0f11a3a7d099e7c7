import type { TopicPartition } from '../topic-partitions.ts'

export interface AssignmentMember {
  readonly memberId: string
  /** The existing topics the member is subscribed to. */
  readonly topics: readonly string[]
}

/** What a server-side assignor decides from: pure data, so assignors are pure functions. */
export interface AssignmentSpec {
  readonly members: readonly AssignmentMember[]
  /** Partition counts of every topic some member is subscribed to. */
  readonly partitionCounts: ReadonlyMap<string, number>
  /** The previous target assignment, for assignors that keep partitions where they are. */
  readonly current: ReadonlyMap<string, readonly TopicPartition[]>
}

/** Partitions by member id; every member of the spec has an entry, possibly empty. */
export type Assignment = Map<string, TopicPartition[]>

export type Assignor = (spec: AssignmentSpec) => Assignment

/** Members in id order: assignors must not depend on the order members were read in. */
export function membersInOrder(spec: AssignmentSpec): AssignmentMember[] {
  return [...spec.members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1))
}

export function emptyAssignment(spec: AssignmentSpec): Assignment {
  return new Map(spec.members.map((member) => [member.memberId, []]))
}

/** Every partition of the subscribed topics, in topic then partition order. */
export function allPartitions(spec: AssignmentSpec): TopicPartition[] {
  return [...spec.partitionCounts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([topic, count]) =>
      Array.from({ length: count }, (_, partition) => ({ topic, partition })),
    )
}
