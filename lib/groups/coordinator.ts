import { backoff } from '../common/backoff.ts'
import { BadRequestError, RetriableStorageError, type SluiceError } from '../errors.ts'
import { GroupConflictError, type GroupStore } from '../storage/ports/groups.ts'
import {
  type CommittedOffset,
  FenceRejectedError,
  type OffsetFence,
  type OffsetStore,
} from '../storage/ports/offsets.ts'
import type { AssignorName } from './assignors/assignors.ts'
import {
  FencedMemberEpochError,
  InvalidConsumerConfigError,
  StaleMemberEpochError,
  UnknownMemberIdError,
} from './errors.ts'
import type { GroupOptions } from './group-options.ts'
import { heldBy, type MemberRecord } from './group-records.ts'
import { GroupState, type NewMember } from './group-state.ts'
import type { Subscription } from './subscription.ts'
import type { TopicMetadata } from './topic-metadata.ts'
import {
  type PartitionKey,
  parsePartitionKey,
  partitionKeyOf,
  type TopicPartition,
} from './topic-partitions.ts'

export interface JoinRequest {
  readonly groupId: string
  readonly memberId: string
  readonly subscription: Subscription
  readonly assignor?: AssignorName
  /** Within the coordinator's bounds; the default when absent. */
  readonly sessionTimeoutMs?: number
  readonly clientId: string
}

export interface HeartbeatRequest {
  readonly groupId: string
  readonly memberId: string
  readonly memberEpoch: number
  /**
   * The partitions the member holds now; revoked ones it no longer lists are
   * released. Absent when the member does not say (Kafka's classic protocol,
   * whose members give up partitions only by rejoining): nothing is released.
   */
  readonly owned?: readonly TopicPartition[]
  /** A new subscription, when the member changes it. */
  readonly subscription?: Subscription
  readonly assignor?: AssignorName
}

/** A heartbeat's answer: the member's epoch and the partitions it may hold; it gives up any others. */
export interface MemberAssignment {
  readonly memberEpoch: number
  readonly partitions: readonly TopicPartition[]
  /** Partitions the member still holds but must give up before others can have them. */
  readonly revoking: readonly TopicPartition[]
  /** Partitions the target gives the member that others still hold: it gets them once they are released. */
  readonly pending: readonly TopicPartition[]
}

/** Who commits: a member, checked against its epoch and partitions, or nobody (admin, manual assignment). */
export type Committer =
  | { readonly kind: 'member'; readonly memberId: string; readonly memberEpoch: number }
  | { readonly kind: 'none' }

export type OffsetToCommit = Omit<CommittedOffset, 'committedAt'>

/** Kafka's offset.metadata.max.bytes. */
export const MAX_OFFSET_METADATA_LENGTH = 4096

const CONFLICT_BACKOFF = { baseMs: 10, capMs: 250 }

type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: SluiceError }

function ok<T>(value: T): Outcome<T> {
  return { ok: true, value }
}

function fail<T>(error: SluiceError): Outcome<T> {
  return { ok: false, error }
}

function newMember(request: JoinRequest, sessionTimeoutMs: number): NewMember {
  return {
    memberId: request.memberId,
    subscription: request.subscription,
    ...(request.assignor !== undefined && { assignor: request.assignor }),
    sessionTimeoutMs,
    clientId: request.clientId,
  }
}

function assignmentOf(state: GroupState, memberId: string): MemberAssignment {
  const member = state.member(memberId) as MemberRecord
  const assigned = new Set(member.assigned)
  const target = state.record.target[memberId] ?? []
  return {
    memberEpoch: member.epoch,
    partitions: member.assigned.map(parsePartitionKey),
    revoking: member.revoking.map(parsePartitionKey),
    pending: target.filter((key) => !assigned.has(key)).map(parsePartitionKey),
  }
}

/**
 * The group coordinator, stateless: every step reads the group from storage,
 * works out the next state (GroupState) and writes it conditioned on what it
 * read, retrying from the top when another step got there first. Members that
 * missed their session are removed by whichever step next touches the group.
 */
export class GroupCoordinator {
  constructor(
    private readonly store: GroupStore,
    private readonly offsets: OffsetStore,
    private readonly metadata: TopicMetadata,
    private readonly options: GroupOptions,
  ) {}

  /** The session timeout a member asked for, checked against the bounds. */
  sessionTimeout(requested?: number): number {
    const bounds = this.options.sessionTimeoutMs
    if (requested === undefined) return bounds.default
    if (!Number.isInteger(requested) || requested < bounds.min || requested > bounds.max) {
      throw new InvalidConsumerConfigError(
        `session.timeout.ms must be an integer from ${bounds.min} to ${bounds.max}; got ${requested}.`,
      )
    }
    return requested
  }

  /** Joins a member, or starts it afresh if it is known (KIP-848's heartbeat with epoch 0). */
  async join(request: JoinRequest): Promise<MemberAssignment> {
    const sessionTimeoutMs = this.sessionTimeout(request.sessionTimeoutMs)
    return this.step(request.groupId, async (state) => {
      state.expireMembers()
      state.join(newMember(request, sessionTimeoutMs))
      await this.assign(state)
      state.reconcile(request.memberId, [])
      return ok(assignmentOf(state, request.memberId))
    })
  }

  /**
   * A member of Kafka's classic protocol (re)joining. It gave up every
   * partition before it asked, so all it held is released at once; a known
   * member keeps its place, so a rejoin does not move the group's epoch and
   * start a rebalance of its own.
   */
  async rejoin(request: JoinRequest): Promise<MemberAssignment> {
    const sessionTimeoutMs = this.sessionTimeout(request.sessionTimeoutMs)
    return this.step(request.groupId, async (state) => {
      state.expireMembers()
      if (state.member(request.memberId)) {
        state.resubscribe(request.memberId, request.subscription, request.assignor)
        state.touch(request.memberId)
      } else {
        state.join(newMember(request, sessionTimeoutMs))
      }
      await this.assign(state)
      // Holding nothing: the first pass releases what the target moved away, the second takes the new share.
      state.reconcile(request.memberId, [])
      state.reconcile(request.memberId, [])
      return ok(assignmentOf(state, request.memberId))
    })
  }

  async heartbeat(request: HeartbeatRequest): Promise<MemberAssignment> {
    const owned = request.owned?.map(partitionKeyOf)
    return this.step(request.groupId, async (state) => {
      state.expireMembers()
      const member = state.member(request.memberId)
      if (!member) {
        return fail(
          new UnknownMemberIdError(
            `member '${request.memberId}' is not in group '${request.groupId}' (it left, or its session expired).`,
          ),
        )
      }
      if (!acceptsEpoch(member, request.memberEpoch, owned)) {
        return fail(
          new FencedMemberEpochError(
            `member '${request.memberId}' sent epoch ${request.memberEpoch}; its epoch is ${member.epoch}. Rejoin.`,
          ),
        )
      }
      if (request.subscription) {
        state.resubscribe(request.memberId, request.subscription, request.assignor)
      }
      state.touch(request.memberId)
      await this.assign(state)
      state.reconcile(request.memberId, owned)
      return ok(assignmentOf(state, request.memberId))
    })
  }

  /** Removes a member at once; its partitions go to the others. Unknown members are ignored. */
  async leave(groupId: string, memberId: string): Promise<void> {
    await this.step(groupId, async (state) => {
      state.expireMembers()
      state.leave(memberId)
      await this.assign(state)
      return ok(undefined)
    })
  }

  /** Removes the group's members whose session ran out; returns how many. */
  async expire(groupId: string): Promise<number> {
    return this.step(groupId, async (state) => {
      const expired = state.expireMembers()
      if (expired.length > 0) await this.assign(state)
      return ok(expired.length)
    })
  }

  /**
   * Commits offsets. A member may commit only partitions it holds, at its
   * current epoch, while its session lasts; a commit without membership only
   * to a group without members. The check and the write are one atomic write.
   */
  async commit(
    groupId: string,
    committer: Committer,
    offsets: readonly OffsetToCommit[],
  ): Promise<void> {
    for (const offset of offsets) validateOffset(offset)
    if (offsets.length === 0) return
    const now = this.options.clock()
    const items = offsets.map((offset) => ({ ...offset, committedAt: now }))
    try {
      await this.offsets.commit(groupId, items, fenceFor(committer, now))
    } catch (error) {
      if (!(error instanceof FenceRejectedError)) throw error
      throw committer.kind === 'member'
        ? await this.explainRejectedCommit(groupId, committer, offsets.map(partitionKeyOf), now)
        : new UnknownMemberIdError(
            `group '${groupId}' has members; only a member may commit offsets for it.`,
          )
    }
  }

  async committed(groupId: string): Promise<CommittedOffset[]> {
    return this.offsets.list(groupId)
  }

  /** Topics may have appeared, gone or grown: look if it is time, and give a new epoch a target. */
  private async assign(state: GroupState): Promise<void> {
    if (state.needsMetadata()) {
      state.applyMetadata(await this.metadata.resolve(state.subscriptions()))
    }
    state.updateTarget()
  }

  private async explainRejectedCommit(
    groupId: string,
    committer: Extract<Committer, { kind: 'member' }>,
    partitions: readonly PartitionKey[],
    now: number,
  ): Promise<SluiceError> {
    const member = await this.store.member(groupId, committer.memberId)
    if (!member || member.sessionDeadline < now) {
      return new UnknownMemberIdError(
        `member '${committer.memberId}' is not in group '${groupId}' (it left, or its session expired).`,
      )
    }
    if (member.epoch !== committer.memberEpoch) {
      return new StaleMemberEpochError(
        `member '${committer.memberId}' committed at epoch ${committer.memberEpoch}; its epoch is ${member.epoch}.`,
      )
    }
    const held = new Set(heldBy(member))
    const foreign = partitions.filter((key) => !held.has(key))
    return new StaleMemberEpochError(
      `member '${committer.memberId}' does not hold ${foreign.join(', ')} at epoch ${member.epoch}.`,
    )
  }

  /** Runs one step against the group as stored, retrying it from a fresh read when it loses a race. */
  private async step<T>(
    groupId: string,
    run: (state: GroupState) => Promise<Outcome<T>>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const state = new GroupState(groupId, await this.store.load(groupId), {
        now: this.options.clock(),
        heartbeatIntervalMs: this.options.heartbeatIntervalMs,
        metadataMaxAgeMs: this.options.metadataMaxAgeMs,
      })
      const outcome = await run(state)
      const write = state.write()
      try {
        if (write) await this.store.save(groupId, write)
      } catch (error) {
        if (!(error instanceof GroupConflictError)) throw error
        if (attempt >= this.options.maxConflictRetries) {
          throw new RetriableStorageError(
            `Consumer group '${groupId}' is changing too fast to update; retry the request.`,
          )
        }
        await backoff(attempt, CONFLICT_BACKOFF)
        continue
      }
      if (!outcome.ok) throw outcome.error
      return outcome.value
    }
  }
}

/** What a commit by `committer` at `now` must be checked against. */
function fenceFor(committer: Committer, now: number): OffsetFence {
  return committer.kind === 'member'
    ? {
        kind: 'member',
        memberId: committer.memberId,
        memberEpoch: committer.memberEpoch,
        at: now,
      }
    : { kind: 'empty-group', at: now }
}

/**
 * A heartbeat's epoch must be the member's, or, as KIP-848 allows for a member
 * that missed an answer, the one before while it holds nothing it was not given.
 */
function acceptsEpoch(
  member: MemberRecord,
  epoch: number,
  owned: readonly PartitionKey[] | undefined,
): boolean {
  if (epoch === member.epoch) return true
  const assigned = new Set(member.assigned)
  return (
    owned !== undefined && epoch === member.previousEpoch && owned.every((key) => assigned.has(key))
  )
}

function validateOffset(offset: OffsetToCommit): void {
  const where = `${offset.topic}/${offset.partition}`
  if (!Number.isSafeInteger(offset.offset) || offset.offset < 0) {
    throw new BadRequestError(
      `The offset for ${where} must be a non-negative integer; got ${offset.offset}.`,
    )
  }
  if (offset.metadata.length > MAX_OFFSET_METADATA_LENGTH) {
    throw new BadRequestError(
      `The metadata for ${where} is ${offset.metadata.length} characters; the limit is ${MAX_OFFSET_METADATA_LENGTH}.`,
    )
  }
}
