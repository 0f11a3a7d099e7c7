import type { GroupWrite, LoadedGroup } from '../storage/ports/groups.ts'
import { ASSIGNORS, type AssignorName, chooseAssignor } from './assignors/assignors.ts'
import {
  emptyGroup,
  type GroupRecord,
  heldBy,
  type MemberRecord,
  type TopicSnapshot,
} from './group-records.ts'
import { reconcile } from './reconciliation.ts'
import { matchTopics, type Subscription, sameSubscription } from './subscription.ts'
import { type PartitionKey, parsePartitionKey, partitionKeyOf } from './topic-partitions.ts'

export interface NewMember {
  readonly memberId: string
  readonly subscription: Subscription
  readonly assignor?: AssignorName
  readonly sessionTimeoutMs: number
  readonly clientId: string
}

export interface GroupStateSettings {
  readonly now: number
  readonly heartbeatIntervalMs: number
  readonly metadataMaxAgeMs: number
}

/** A DynamoDB transaction holds 100 items: the group, the caller, and at most this many expired members. */
const MAX_EXPIRED_PER_WRITE = 90

/**
 * A working copy of one group for one coordinator step. Its methods are the
 * group's state machine (KIP-848's, in the small): membership changes bump the
 * group epoch, a new epoch gets a new target assignment, and each member moves
 * towards its target one reconciliation at a time. No I/O: the coordinator
 * loads it, runs a step, and writes what `write()` returns.
 */
export class GroupState {
  private group: GroupRecord
  private readonly members: Map<string, MemberRecord>
  private groupChanged = false
  private readonly original: ReadonlyMap<string, MemberRecord>

  constructor(
    groupId: string,
    private readonly loaded: LoadedGroup,
    private readonly settings: GroupStateSettings,
  ) {
    this.group = loaded.group ?? emptyGroup(groupId, settings.now)
    this.original = new Map(loaded.members.map((member) => [member.memberId, member]))
    this.members = new Map(this.original)
  }

  get record(): GroupRecord {
    return this.group
  }

  member(memberId: string): MemberRecord | undefined {
    return this.members.get(memberId)
  }

  memberList(): MemberRecord[] {
    return [...this.members.values()]
  }

  /** Removes members whose session ran out; returns their ids. */
  expireMembers(): string[] {
    const expired = this.memberList()
      .filter((member) => member.sessionDeadline < this.settings.now)
      .slice(0, MAX_EXPIRED_PER_WRITE)
    for (const member of expired) this.remove(member.memberId)
    return expired.map((member) => member.memberId)
  }

  /** Adds a member, or starts a known one afresh: it says it holds nothing, so it holds nothing. */
  join(spec: NewMember): void {
    const known = this.members.get(spec.memberId)
    this.members.set(spec.memberId, {
      memberId: spec.memberId,
      epoch: 0,
      previousEpoch: 0,
      revision: known?.revision ?? 0,
      assigned: [],
      revoking: [],
      subscription: spec.subscription,
      ...(spec.assignor !== undefined && { assignor: spec.assignor }),
      sessionTimeoutMs: spec.sessionTimeoutMs,
      sessionDeadline: this.settings.now + spec.sessionTimeoutMs,
      clientId: spec.clientId,
      joinedAt: this.settings.now,
    })
    this.bumpGroupEpoch()
  }

  /** Changes what a member subscribes to; a real change starts a new group epoch. */
  resubscribe(memberId: string, subscription: Subscription, assignor?: AssignorName): void {
    const member = this.members.get(memberId)
    if (!member) return
    if (sameSubscription(member.subscription, subscription) && member.assignor === assignor) return
    const { assignor: _previous, ...rest } = member
    this.members.set(memberId, {
      ...rest,
      subscription,
      ...(assignor !== undefined && { assignor }),
    })
    this.bumpGroupEpoch()
  }

  leave(memberId: string): void {
    if (this.members.has(memberId)) this.remove(memberId)
  }

  /** Extends a member's session, writing the new deadline only once a heartbeat interval has passed. */
  touch(memberId: string): void {
    const member = this.members.get(memberId)
    if (!member) return
    const interval = Math.min(this.settings.heartbeatIntervalMs, member.sessionTimeoutMs / 3)
    const lastWritten = member.sessionDeadline - member.sessionTimeoutMs
    if (this.settings.now - lastWritten < interval) return
    this.members.set(memberId, {
      ...member,
      sessionDeadline: this.settings.now + member.sessionTimeoutMs,
    })
  }

  /** The topics must be read again: membership changed, or the last look is too old. */
  needsMetadata(): boolean {
    return (
      this.group.groupEpoch > this.group.assignmentEpoch ||
      this.settings.now - this.group.metadataCheckedAt >= this.settings.metadataMaxAgeMs
    )
  }

  subscriptions(): Subscription[] {
    return this.memberList().map((member) => member.subscription)
  }

  /** Records the subscribed topics as they are now; any difference starts a new group epoch. */
  applyMetadata(existing: ReadonlyMap<string, TopicSnapshot>): void {
    const subscribed = new Set(
      this.memberList().flatMap((member) => matchTopics(member.subscription, existing.keys())),
    )
    const topics: Record<string, TopicSnapshot> = {}
    for (const name of [...subscribed].sort()) {
      const snapshot = existing.get(name)
      if (snapshot) topics[name] = { topicId: snapshot.topicId, partitions: snapshot.partitions }
    }
    const before = this.group.topics
    const changed =
      Object.keys(before).length !== Object.keys(topics).length ||
      Object.entries(topics).some(
        ([name, snapshot]) =>
          before[name]?.topicId !== snapshot.topicId ||
          before[name]?.partitions !== snapshot.partitions,
      )
    this.setGroup({ topics, metadataCheckedAt: this.settings.now })
    if (changed) this.bumpGroupEpoch()
  }

  /** Computes the target assignment for the current group epoch, if it has none yet. */
  updateTarget(): void {
    if (this.group.assignmentEpoch === this.group.groupEpoch) return
    const members = this.memberList()
    const assignor = chooseAssignor(members.map((member) => member.assignor))
    const names = Object.keys(this.group.topics)
    const assignment = ASSIGNORS[assignor]({
      members: members.map((member) => ({
        memberId: member.memberId,
        topics: matchTopics(member.subscription, names),
      })),
      partitionCounts: new Map(
        Object.entries(this.group.topics).map(([name, topic]) => [name, topic.partitions]),
      ),
      current: new Map(
        Object.entries(this.group.target).map(([memberId, keys]) => [
          memberId,
          keys.map(parsePartitionKey),
        ]),
      ),
    })
    const target: Record<string, PartitionKey[]> = {}
    for (const [memberId, partitions] of assignment) {
      target[memberId] = partitions.map(partitionKeyOf)
    }
    this.setGroup({ assignor, target, assignmentEpoch: this.group.groupEpoch })
  }

  /** Moves a member one step towards its target, given what it says it holds. */
  reconcile(memberId: string, reported?: readonly PartitionKey[]): void {
    const member = this.members.get(memberId)
    if (!member) return
    const heldByOthers = new Set(
      this.memberList()
        .filter((other) => other.memberId !== memberId)
        .flatMap(heldBy),
    )
    const next = reconcile({
      current: member,
      ...(reported !== undefined && { reported }),
      target: this.group.target[memberId] ?? [],
      targetEpoch: this.group.assignmentEpoch,
      heldByOthers,
    })
    const unchanged =
      next.epoch === member.epoch &&
      sameKeys(next.assigned, member.assigned) &&
      sameKeys(next.revoking, member.revoking)
    if (unchanged) return
    const held = new Set(member.assigned)
    // Handing out a partition is safe only if no other step handed it out since the
    // members were read: such a grant moves the group version, which this write is conditioned on.
    if (next.assigned.some((key) => !held.has(key))) this.groupChanged = true
    this.members.set(memberId, {
      ...member,
      ...next,
      previousEpoch: next.epoch === member.epoch ? member.previousEpoch : member.epoch,
    })
  }

  /** What must be written, or undefined when the step changed nothing. */
  write(): GroupWrite | undefined {
    const putMembers = [...this.members.values()]
      .filter((member) => this.original.get(member.memberId) !== member)
      .map((member) => {
        const before = this.original.get(member.memberId)
        return {
          record: { ...member, revision: (before?.revision ?? member.revision) + 1 },
          ...(before && { expectedRevision: before.revision }),
        }
      })
    const deleteMembers = [...this.original.values()]
      .filter((member) => !this.members.has(member.memberId))
      .map((member) => ({ memberId: member.memberId, expectedRevision: member.revision }))
    const memberCount = this.members.size
    if (memberCount !== this.group.memberCount) this.setGroup({ memberCount })
    if (!this.groupChanged && putMembers.length === 0 && deleteMembers.length === 0) {
      return undefined
    }
    const before = this.loaded.group
    return {
      ...(this.groupChanged && {
        group: {
          record: { ...this.group, version: (before?.version ?? 0) + 1 },
          ...(before && { expectedVersion: before.version }),
        },
      }),
      putMembers,
      deleteMembers,
    }
  }

  private remove(memberId: string): void {
    this.members.delete(memberId)
    this.bumpGroupEpoch()
  }

  private bumpGroupEpoch(): void {
    this.setGroup({ groupEpoch: (this.loaded.group?.groupEpoch ?? 0) + 1 })
  }

  private setGroup(changes: Partial<GroupRecord>): void {
    this.group = { ...this.group, ...changes }
    this.groupChanged = true
  }
}

function sameKeys(a: readonly PartitionKey[], b: readonly PartitionKey[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i])
}
