import type { GroupRecord, MemberRecord } from '../../groups/group-records.ts'
import {
  GroupConflictError,
  type GroupStore,
  type GroupWrite,
  type LoadedGroup,
} from '../ports/groups.ts'
import type { MemoryGroupState } from './group-state.ts'

/**
 * Groups in memory. A save checks every condition of its write before it
 * changes anything, in one synchronous run, so it lands whole or not at all.
 */
export class MemoryGroupStore implements GroupStore {
  constructor(private readonly state: MemoryGroupState) {}

  async load(groupId: string): Promise<LoadedGroup> {
    const group = this.state.groups.get(groupId)
    const members = [...(this.state.members.get(groupId)?.values() ?? [])].sort((a, b) =>
      a.memberId < b.memberId ? -1 : 1,
    )
    return structuredClone({ ...(group && { group }), members })
  }

  async member(groupId: string, memberId: string): Promise<MemberRecord | undefined> {
    return structuredClone(this.state.members.get(groupId)?.get(memberId))
  }

  async *groups(): AsyncGenerator<GroupRecord> {
    // Copied before the first yield: writes made while the caller iterates do not disturb it.
    yield* structuredClone([...this.state.groups.values()])
  }

  async groupsWithExpiredMembers(now: number): Promise<string[]> {
    return [...this.state.members]
      .filter(([, members]) => [...members.values()].some((member) => member.sessionDeadline < now))
      .map(([groupId]) => groupId)
  }

  async save(groupId: string, write: GroupWrite): Promise<void> {
    if (!this.holds(groupId, write)) {
      throw new GroupConflictError('The group changed while this step ran')
    }
    if (write.group) this.state.groups.set(groupId, structuredClone(write.group.record))
    const members = this.state.members.get(groupId) ?? new Map<string, MemberRecord>()
    for (const { record } of write.putMembers) members.set(record.memberId, structuredClone(record))
    for (const { memberId } of write.deleteMembers) members.delete(memberId)
    if (members.size > 0) this.state.members.set(groupId, members)
    else this.state.members.delete(groupId)
  }

  /** Whether every item is still at the version or revision the write expects, or absent where it expects none. */
  private holds(groupId: string, write: GroupWrite): boolean {
    const members = this.state.members.get(groupId)
    const group = this.state.groups.get(groupId)
    return (
      (!write.group || group?.version === write.group.expectedVersion) &&
      write.putMembers.every(
        ({ record, expectedRevision }) =>
          members?.get(record.memberId)?.revision === expectedRevision,
      ) &&
      write.deleteMembers.every(
        ({ memberId, expectedRevision }) => members?.get(memberId)?.revision === expectedRevision,
      )
    )
  }
}
