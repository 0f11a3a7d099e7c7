import type { GroupRecord, MemberRecord } from '../../groups/group-records.ts'
import type { PartitionKey } from '../../groups/topic-partitions.ts'
import type { CommittedOffset } from '../ports/offsets.ts'

/**
 * The group tables, held in memory: group records, their members and the
 * committed offsets. The memory group and offset stores share one of these, as
 * the DynamoDB ones share tables, so an offset commit and its fence on the
 * group happen in one step.
 */
export class MemoryGroupState {
  readonly groups = new Map<string, GroupRecord>()
  /** Members by group id, then member id; a group without members has no entry. */
  readonly members = new Map<string, Map<string, MemberRecord>>()
  /** Committed offsets by group id, then partition key; a group without offsets has no entry. */
  readonly offsets = new Map<string, Map<PartitionKey, CommittedOffset>>()
}
