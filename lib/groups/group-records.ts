import { type AssignorName, DEFAULT_ASSIGNOR } from './assignors/assignors.ts'
import type { MemberOwnership } from './reconciliation.ts'
import type { Subscription } from './subscription.ts'
import type { PartitionKey } from './topic-partitions.ts'

/** What a group's target assignment was computed from, per subscribed topic. */
export interface TopicSnapshot {
  readonly topicId: string
  readonly partitions: number
}

/** The group item: epochs, the target assignment and the topics it covers. */
export interface GroupRecord {
  readonly groupId: string
  /** Bumped by every change of the item; every write of the group is conditioned on it. */
  readonly version: number
  /** Bumped whenever membership, subscriptions or subscribed topics change. */
  readonly groupEpoch: number
  /** The group epoch the target assignment was computed for. */
  readonly assignmentEpoch: number
  readonly assignor: AssignorName
  /** Partition keys by member id. */
  readonly target: Readonly<Record<string, readonly PartitionKey[]>>
  /** Every topic some member is subscribed to that exists, by name. */
  readonly topics: Readonly<Record<string, TopicSnapshot>>
  readonly metadataCheckedAt: number
  readonly memberCount: number
  readonly createdAt: number
}

/** One member item. Ownership (`assigned` and `revoking`) only grows in writes that move the group version. */
export interface MemberRecord extends MemberOwnership {
  readonly memberId: string
  /** The epoch before the last change, accepted once from a member that missed that change's answer. */
  readonly previousEpoch: number
  /** Bumped by every change of the item; every write of the member is conditioned on it. */
  readonly revision: number
  readonly subscription: Subscription
  readonly assignor?: AssignorName
  readonly sessionTimeoutMs: number
  /** Epoch milliseconds after which the member is gone unless it heartbeats. */
  readonly sessionDeadline: number
  readonly clientId: string
  readonly joinedAt: number
}

export function emptyGroup(groupId: string, now: number): GroupRecord {
  return {
    groupId,
    version: 0,
    groupEpoch: 0,
    assignmentEpoch: 0,
    assignor: DEFAULT_ASSIGNOR,
    target: {},
    topics: {},
    metadataCheckedAt: 0,
    memberCount: 0,
    createdAt: now,
  }
}

/** Everything a member holds, including partitions it is giving up. */
export function heldBy(member: MemberOwnership): PartitionKey[] {
  return [...member.assigned, ...member.revoking]
}
