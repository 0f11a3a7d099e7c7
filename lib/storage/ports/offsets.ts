import type { PartitionKey } from '../../groups/topic-partitions.ts'

/** A committed offset: the next offset the group reads in the partition, as in Kafka. */
export interface CommittedOffset {
  readonly topic: string
  readonly partition: number
  /** The topic the offset was committed for: a re-created topic does not inherit it. */
  readonly topicId: string
  readonly offset: number
  readonly metadata: string
  readonly committedAt: number
}

/**
 * What must hold, in the same atomic write, for offsets to be committed:
 * - `member`: the member is in the group at `memberEpoch`, its session lasts
 *   at `at`, and it holds (assigned or revoking) every partition committed;
 * - `empty-group`: the group has no members. Such a commit makes the group
 *   exist, as in Kafka, and moves its version, so a delete that read the group
 *   before learns that its offsets changed.
 */
export type OffsetFence =
  | {
      readonly kind: 'member'
      readonly memberId: string
      readonly memberEpoch: number
      readonly at: number
    }
  | { readonly kind: 'empty-group'; readonly at: number }

/** Deleting a group without members together with its offsets, guarded by the version it was read at. */
export interface GroupDeletion {
  readonly version: number
  /** The partitions the group has offsets in, as read. */
  readonly partitions: readonly PartitionKey[]
}

/** The fence of a commit, or the guard of a deletion, refused it: nothing of that write landed. */
export class FenceRejectedError extends Error {
  override readonly name = 'FenceRejectedError'
}

/**
 * Committed offsets, one per (group, topic, partition). Writes are checked
 * against the group store of the same engine, atomically with the write.
 */
export interface OffsetStore {
  /**
   * Writes offsets together with their fence; FenceRejectedError when it does
   * not hold. An engine may split a large commit into several atomic writes,
   * each fenced: one refused half-way leaves the earlier ones in place, as
   * each partition's offset stands on its own. No offsets: nothing is
   * checked or written.
   */
  commit(groupId: string, offsets: readonly CommittedOffset[], fence: OffsetFence): Promise<void>
  list(groupId: string): Promise<CommittedOffset[]>
  /**
   * Deletes the group's offsets in `deletion.partitions` and then the group,
   * all while the group has no members and is still at `deletion.version`;
   * FenceRejectedError otherwise. An engine may split many offsets into several
   * atomic writes, each guarded, the group's deletion in the last: a change
   * in between may leave some offsets gone, never offsets behind a deleted group.
   */
  deleteGroup(groupId: string, deletion: GroupDeletion): Promise<void>
}
