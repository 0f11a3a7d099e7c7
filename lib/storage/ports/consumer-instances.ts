import type { AssignorName } from '../../groups/assignors/assignors.ts'
import type { AutoOffsetReset } from '../../groups/offset-reset.ts'
import type { Subscription } from '../../groups/subscription.ts'
import type { PartitionKey } from '../../groups/topic-partitions.ts'

/** How an instance gets partitions: not at all yet, from its group, or by naming them itself. */
export type InstanceMode =
  | { readonly kind: 'idle' }
  | {
      readonly kind: 'subscribed'
      readonly subscription: Subscription
      /** The epoch the coordinator last gave the instance's member. */
      readonly memberEpoch: number
    }
  | { readonly kind: 'assigned' }

/** Where an instance reads a partition next, and in which incarnation of the topic. */
export interface Position {
  readonly offset: number
  readonly topicId: string
}

/** What an instance is created with and keeps for its life. */
export interface InstanceSettings {
  /** The embedded format records are returned in; the HTTP layer knows the names. */
  readonly format: string
  readonly autoOffsetReset: AutoOffsetReset
  readonly autoCommit: boolean
  readonly sessionTimeoutMs?: number
  readonly assignor?: AssignorName
}

/** A REST Proxy v2 consumer instance, all of it in storage, so any node serves any call. */
export interface InstanceRecord extends InstanceSettings {
  readonly groupId: string
  readonly instanceId: string
  /** The instance's member id in its group, fixed for its life. */
  readonly memberId: string
  readonly mode: InstanceMode
  /** The partitions the instance holds: its own assignment, or what its group last gave it. */
  readonly partitions: readonly PartitionKey[]
  /** The next offset to read in held partitions; a partition without one starts from its committed offset. */
  readonly positions: Readonly<Record<PartitionKey, Position>>
  readonly lastAutoCommitAt: number
  /** Epoch milliseconds after which the unused instance is gone. */
  readonly idleDeadline: number
  /** Bumped by every write; every write is conditioned on it. */
  readonly version: number
  readonly createdAt: number
}

export interface InstanceId {
  readonly groupId: string
  readonly instanceId: string
}

/** The instance changed since it was read; nothing was written. */
export class InstanceConflictError extends Error {
  override readonly name = 'InstanceConflictError'
}

/**
 * REST v2 consumer instances, by (group, instance). An engine may remove idle
 * instances on its own, late: readers check `idleDeadline` themselves.
 */
export interface InstanceStore {
  /**
   * Creates the instance unless a live one has the name (ConsumerInstanceExistsError);
   * one idle since before `instance.createdAt` is replaced.
   */
  create(instance: InstanceRecord): Promise<void>
  get(id: InstanceId): Promise<InstanceRecord | undefined>
  /**
   * Writes `instance` with the next version, if the stored one is still at
   * `instance.version` (InstanceConflictError otherwise); returns what it wrote.
   */
  save(instance: InstanceRecord): Promise<InstanceRecord>
  /** Deletes the instance if the stored one is still at `instance.version`; InstanceConflictError otherwise. */
  delete(instance: InstanceRecord): Promise<void>
  /** Instances nobody used before `now` that are still stored. */
  idle(now: number): Promise<InstanceId[]>
}
