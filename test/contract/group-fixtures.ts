/** Records for the group, offset and instance contracts, and ids no other test uses. */
import { randomBytes } from 'node:crypto'
import { emptyGroup, type GroupRecord, type MemberRecord } from '../../lib/groups/group-records.ts'
import type { PartitionKey } from '../../lib/groups/topic-partitions.ts'
import type { GroupStore } from '../../lib/storage/ports/groups.ts'

export const NOW = 1_750_000_000_000

/** Contracts run on one store per engine; each test keeps to its own ids. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`
}

export function groupRecord(groupId: string, changes: Partial<GroupRecord> = {}): GroupRecord {
  return {
    ...emptyGroup(groupId, NOW),
    version: 1,
    groupEpoch: 2,
    assignmentEpoch: 2,
    assignor: 'range',
    target: { a: ['orders/0', 'orders/1'], b: ['orders/2'] },
    topics: { orders: { topicId: 'orders-id', partitions: 3 } },
    metadataCheckedAt: NOW - 10,
    ...changes,
  }
}

export function memberRecord(memberId: string, changes: Partial<MemberRecord> = {}): MemberRecord {
  return {
    memberId,
    epoch: 2,
    previousEpoch: 1,
    revision: 1,
    assigned: ['orders/0'],
    revoking: [],
    subscription: { kind: 'topics', topics: ['orders'] },
    sessionTimeoutMs: 45_000,
    sessionDeadline: NOW + 45_000,
    clientId: `client-${memberId}`,
    joinedAt: NOW - 1000,
    ...changes,
  }
}

/** `count` partition keys of one topic, with a long topic name so that records of them grow large. */
export function manyPartitions(count: number, topic = `t${'x'.repeat(200)}`): PartitionKey[] {
  return Array.from({ length: count }, (_, i) => `${topic}/${i}`)
}

/** Creates a group with these members, the way a coordinator's first write would. */
export async function createGroup(
  store: GroupStore,
  groupId: string,
  members: readonly MemberRecord[],
  changes: Partial<GroupRecord> = {},
): Promise<GroupRecord> {
  const record = groupRecord(groupId, { memberCount: members.length, ...changes })
  await store.save(groupId, {
    group: { record },
    putMembers: members.map((member) => ({ record: member })),
    deleteMembers: [],
  })
  return record
}
