import { emptyGroup, heldBy } from '../../groups/group-records.ts'
import { type PartitionKey, partitionKeyOf } from '../../groups/topic-partitions.ts'
import {
  type CommittedOffset,
  FenceRejectedError,
  type GroupDeletion,
  type OffsetFence,
  type OffsetStore,
} from '../ports/offsets.ts'
import type { MemoryGroupState } from './group-state.ts'

/**
 * Committed offsets in memory, fenced against the groups of the same state.
 * Each write checks its fence and applies everything in one synchronous run,
 * so unlike DynamoDB's transactions of at most 100 items it never lands in part.
 */
export class MemoryOffsetStore implements OffsetStore {
  constructor(private readonly state: MemoryGroupState) {}

  async commit(
    groupId: string,
    offsets: readonly CommittedOffset[],
    fence: OffsetFence,
  ): Promise<void> {
    // Nothing to commit checks no fence and moves no group.
    if (offsets.length === 0) return
    if (!this.fenceHolds(groupId, fence, offsets.map(partitionKeyOf))) {
      throw new FenceRejectedError('The fence of an offset commit failed')
    }
    if (fence.kind === 'empty-group') {
      const group = this.state.groups.get(groupId) ?? emptyGroup(groupId, fence.at)
      this.state.groups.set(groupId, { ...group, version: group.version + 1 })
    }
    const stored = this.state.offsets.get(groupId) ?? new Map<PartitionKey, CommittedOffset>()
    for (const offset of offsets) stored.set(partitionKeyOf(offset), structuredClone(offset))
    this.state.offsets.set(groupId, stored)
  }

  async list(groupId: string): Promise<CommittedOffset[]> {
    const stored = [...(this.state.offsets.get(groupId) ?? [])]
    return structuredClone(stored.sort(([a], [b]) => (a < b ? -1 : 1)).map(([, offset]) => offset))
  }

  async deleteGroup(groupId: string, { version, partitions }: GroupDeletion): Promise<void> {
    const group = this.state.groups.get(groupId)
    if (group?.memberCount !== 0 || group.version !== version) {
      throw new FenceRejectedError('The group changed since it was read for deletion')
    }
    const stored = this.state.offsets.get(groupId)
    for (const key of partitions) stored?.delete(key)
    if (stored?.size === 0) this.state.offsets.delete(groupId)
    this.state.groups.delete(groupId)
  }

  private fenceHolds(
    groupId: string,
    fence: OffsetFence,
    partitions: readonly PartitionKey[],
  ): boolean {
    if (fence.kind === 'empty-group') {
      return (this.state.groups.get(groupId)?.memberCount ?? 0) === 0
    }
    const member = this.state.members.get(groupId)?.get(fence.memberId)
    if (!member) return false
    const held = new Set(heldBy(member))
    return (
      member.epoch === fence.memberEpoch &&
      member.sessionDeadline >= fence.at &&
      partitions.every((key) => held.has(key))
    )
  }
}
