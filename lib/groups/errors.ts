import { SluiceError } from '../errors.ts'

/**
 * Consumer group and consumer instance errors, with the REST Proxy's codes.
 * Kafka's own group errors (UNKNOWN_MEMBER_ID, STALE_MEMBER_EPOCH, ...) have no
 * REST code of their own; they answer 409 with the proxy's "illegal state" code
 * 40903 and name the Kafka error first in the message, so a client can tell them apart.
 */

export class ConsumerInstanceNotFoundError extends SluiceError {
  override name = 'ConsumerInstanceNotFoundError'
  readonly code = 40403
  constructor(
    readonly groupId: string,
    readonly instanceId: string,
  ) {
    super(`Consumer instance '${instanceId}' not found in group '${groupId}'.`)
  }
}

export class ConsumerGroupNotFoundError extends SluiceError {
  override name = 'ConsumerGroupNotFoundError'
  readonly code = 40405
  constructor(readonly groupId: string) {
    super(`Consumer group '${groupId}' not found.`)
  }
}

export class ConsumerFormatMismatchError extends SluiceError {
  override name = 'ConsumerFormatMismatchError'
  readonly code = 40601
}

export class ConsumerInstanceExistsError extends SluiceError {
  override name = 'ConsumerInstanceExistsError'
  readonly code = 40902
  constructor(
    readonly groupId: string,
    readonly instanceId: string,
  ) {
    super(`Consumer instance '${instanceId}' already exists in group '${groupId}'.`)
  }
}

/** The request does not fit the instance's state: mixing subscription and assignment, seeking an unassigned partition. */
export class IllegalConsumerStateError extends SluiceError {
  override name = 'IllegalConsumerStateError'
  readonly code = 40903
}

/** Kafka's UNKNOWN_MEMBER_ID: the member left, expired, or never joined. */
export class UnknownMemberIdError extends SluiceError {
  override name = 'UnknownMemberIdError'
  readonly code = 40903
  constructor(detail: string) {
    super(`UNKNOWN_MEMBER_ID: ${detail}`)
  }
}

/** Kafka's STALE_MEMBER_EPOCH: a commit from an older epoch, or for a partition the member does not own. */
export class StaleMemberEpochError extends SluiceError {
  override name = 'StaleMemberEpochError'
  readonly code = 40903
  constructor(detail: string) {
    super(`STALE_MEMBER_EPOCH: ${detail}`)
  }
}

/** Kafka's FENCED_MEMBER_EPOCH: a heartbeat from an epoch the group has moved past; the member must rejoin. */
export class FencedMemberEpochError extends SluiceError {
  override name = 'FencedMemberEpochError'
  readonly code = 40903
  constructor(detail: string) {
    super(`FENCED_MEMBER_EPOCH: ${detail}`)
  }
}

/** Kafka's NON_EMPTY_GROUP: the change needs a group without members. */
export class GroupNotEmptyError extends SluiceError {
  override name = 'GroupNotEmptyError'
  readonly code = 40903
  constructor(
    readonly groupId: string,
    action: string,
  ) {
    super(`NON_EMPTY_GROUP: cannot ${action} group '${groupId}' while it has members.`)
  }
}

/** auto.offset.reset is `none` and a partition has no usable committed offset. */
export class NoOffsetForPartitionError extends SluiceError {
  override name = 'NoOffsetForPartitionError'
  readonly code = 40903
}

export class InvalidConsumerConfigError extends SluiceError {
  override name = 'InvalidConsumerConfigError'
  readonly code = 42204
  constructor(detail: string) {
    super(`Invalid consumer configuration: ${detail}`)
  }
}

/** Another request changed the same consumer instance at the same time, more often than retries absorb. */
export class ConcurrentInstanceUpdateError extends SluiceError {
  override name = 'ConcurrentInstanceUpdateError'
  readonly code = 40903
  constructor(
    readonly groupId: string,
    readonly instanceId: string,
  ) {
    super(
      `Consumer instance '${instanceId}' of group '${groupId}' was changed by concurrent requests; retry, one request at a time.`,
    )
  }
}

export class ConsumerNotFoundError extends SluiceError {
  override name = 'ConsumerNotFoundError'
  readonly code = 404
  constructor(
    readonly groupId: string,
    readonly consumerId: string,
  ) {
    super(`Consumer '${consumerId}' not found in consumer group '${groupId}'.`)
  }
}

export class CommittedOffsetNotFoundError extends SluiceError {
  override name = 'CommittedOffsetNotFoundError'
  readonly code = 404
  constructor(groupId: string, topic: string, partition: number) {
    super(
      `Consumer group '${groupId}' has no committed offset for partition ${partition} of '${topic}'.`,
    )
  }
}
