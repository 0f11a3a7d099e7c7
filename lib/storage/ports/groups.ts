import type { GroupRecord, MemberRecord } from '../../groups/group-records.ts'
import type { InstanceStore } from './consumer-instances.ts'
import type { OffsetStore } from './offsets.ts'

/** A group as read: its item (absent before the group's first write) and its members, in member id order. */
export interface LoadedGroup {
  readonly group?: GroupRecord
  readonly members: readonly MemberRecord[]
}

/**
 * The writes that take a group from what was read to what a step made of it.
 * Every item is conditioned on the version or revision that was read (or on
 * not existing), so a step computed from stale state never lands.
 */
export interface GroupWrite {
  readonly group?: { readonly record: GroupRecord; readonly expectedVersion?: number }
  readonly putMembers: readonly {
    readonly record: MemberRecord
    readonly expectedRevision?: number
  }[]
  readonly deleteMembers: readonly {
    readonly memberId: string
    readonly expectedRevision: number
  }[]
}

/** Another step changed the group between this step's read and its write; nothing was written. */
export class GroupConflictError extends Error {
  override readonly name = 'GroupConflictError'
}

/** Consumer groups: per group, its group record and its members' records. */
export interface GroupStore {
  /** The whole group, read strongly consistent. */
  load(groupId: string): Promise<LoadedGroup>
  member(groupId: string, memberId: string): Promise<MemberRecord | undefined>
  /** Every group record, in no particular order. */
  groups(): AsyncIterable<GroupRecord>
  /** Ids of the groups that have members whose session ran out before `now`. */
  groupsWithExpiredMembers(now: number): Promise<string[]>
  /** Applies a step's writes all together, or throws GroupConflictError and applies none. */
  save(groupId: string, write: GroupWrite): Promise<void>
}

/** The stores of consumer groups, their committed offsets and the REST v2 consumer instances. */
export interface GroupStores {
  readonly groups: GroupStore
  /** Fences its commits against the groups above: both are of one engine. */
  readonly offsets: OffsetStore
  readonly consumerInstances: InstanceStore
}
