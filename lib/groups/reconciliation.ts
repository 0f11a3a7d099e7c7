import { type PartitionKey, sortPartitionKeys } from './topic-partitions.ts'

/** What a member holds, as the coordinator tracks it (KIP-848's "current assignment"). */
export interface MemberOwnership {
  readonly epoch: number
  /** Partitions the member holds and keeps. */
  readonly assigned: readonly PartitionKey[]
  /** Partitions the member still holds but must give up; nobody else gets them until it confirms. */
  readonly revoking: readonly PartitionKey[]
}

export interface ReconcileInput {
  readonly current: MemberOwnership
  /**
   * The partitions the member says it holds. A revoking partition missing from
   * the list has been given up. Undefined when the member did not say.
   */
  readonly reported?: readonly PartitionKey[]
  /** The member's share of the target assignment, and the epoch of that target. */
  readonly target: readonly PartitionKey[]
  readonly targetEpoch: number
  /** Partitions other members hold (assigned or revoking); they cannot be given out yet. */
  readonly heldByOthers: ReadonlySet<PartitionKey>
}

/**
 * One step of KIP-848's incremental reconciliation, which keeps every
 * partition with at most one member at any time:
 *   1. while the member still holds partitions it was told to give up, nothing else changes;
 *   2. partitions it holds that the target gives to others are marked revoking,
 *      and the member keeps its epoch until it confirms;
 *   3. otherwise it moves to the target epoch and gets every target partition
 *      no other member holds; the rest follow on later heartbeats, once released.
 */
export function reconcile(input: ReconcileInput): MemberOwnership {
  const { current, target, targetEpoch, heldByOthers } = input
  const reported = input.reported && new Set(input.reported)
  const revoking = reported ? current.revoking.filter((key) => reported.has(key)) : current.revoking
  if (revoking.length > 0) return { ...current, revoking }

  const wanted = new Set(target)
  const toRevoke = current.assigned.filter((key) => !wanted.has(key))
  if (toRevoke.length > 0) {
    return {
      epoch: current.epoch,
      assigned: current.assigned.filter((key) => wanted.has(key)),
      revoking: toRevoke,
    }
  }
  const held = new Set(current.assigned)
  const granted = target.filter((key) => !held.has(key) && !heldByOthers.has(key))
  return {
    epoch: targetEpoch,
    assigned: sortPartitionKeys([...current.assigned, ...granted]),
    revoking: [],
  }
}
