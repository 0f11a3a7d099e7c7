import { SluiceError } from '../errors.ts'

/**
 * Consumer group and consumer instance errors. Kafka's own group errors
 * (UNKNOWN_MEMBER_ID, STALE_MEMBER_EPOCH, ...) name the Kafka error first in
 * the message: over HTTP they share the REST Proxy's "illegal state" code, and
 * the name is how a client tells them apart.
 */

export class ConsumerInstanceNotFoundError extends SluiceError {
  override readonly name = 'ConsumerInstanceNotFoundError'
  constructor(
    readonly groupId: string,
    readonly instanceId: string,
  ) {
    super(`Consumer instance '${instanceId}' not found in group '${groupId}'.`)
  }
}

export class ConsumerGroupNotFoundError extends SluiceError {
  override readonly name = 'ConsumerGroupNotFoundError'
  constructor(readonly groupId: string) {
    super(`Consumer group '${groupId}' not found.`)
  }
}

export class ConsumerFormatMismatchError extends SluiceError {
  override readonly name = 'ConsumerFormatMismatchError'
}

export class ConsumerInstanceExistsError extends SluiceError {
  override readonly name = 'ConsumerInstanceExistsError'
  constructor(
    readonly groupId: string,
    readonly instanceId: string,
  ) {
    super(`Consumer instance '${instanceId}' already exists in group '${groupId}'.`)
  }
}

/** The request does not fit the instance's state: mixing subscription and assignment, seeking an unassigned partition. */
export class IllegalConsumerStateError extends SluiceError {
  override readonly name = 'IllegalConsumerStateError'
}

/** Kafka's UNKNOWN_MEMBER_ID: the member left, expired, or never joined. */
export class UnknownMemberIdError extends SluiceError {
  override readonly name = 'UnknownMemberIdError'
  constructor(detail: string) {
    super(`UNKNOWN_MEMBER_ID: ${detail}`)
  }
}

/** Kafka's STALE_MEMBER_EPOCH: a commit from an older epoch, or for a partition the member does not own. */
export class StaleMemberEpochError extends SluiceError {
  override readonly name = 'StaleMemberEpochError'
  constructor(detail: string) {
    super(`STALE_MEMBER_EPOCH: ${detail}`)
  }
}

/** Kafka's FENCED_MEMBER_EPOCH: a heartbeat from an epoch the group has moved past; the member must rejoin. */
export class FencedMemberEpochError extends SluiceError {
  override readonly name = 'FencedMemberEpochError'
  constructor(detail: string) {
    super(`FENCED_MEMBER_EPOCH: ${detail}`)
  }
}

/** Kafka's NON_EMPTY_GROUP: the change needs a group without members. */
export class GroupNotEmptyError extends SluiceError {
  override readonly name = 'GroupNotEmptyError'
  constructor(
    readonly groupId: string,
    action: string,
  ) {
    super(`NON_EMPTY_GROUP: cannot ${action} group '${groupId}' while it has members.`)
  }
}

/** auto.offset.reset is `none` and a partition has no usable committed offset. */
export class NoOffsetForPartitionError extends SluiceError {
  override readonly name = 'NoOffsetForPartitionError'
}

export class InvalidConsumerConfigError extends SluiceError {
  override readonly name = 'InvalidConsumerConfigError'
  constructor(detail: string) {
    super(`Invalid consumer configuration: ${detail}`)
  }
}

/** Another request changed the same consumer instance at the same time, more often than retries absorb. */
export class ConcurrentInstanceUpdateError extends SluiceError {
  override readonly name = 'ConcurrentInstanceUpdateError'
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
  override readonly name = 'ConsumerNotFoundError'
  constructor(
    readonly groupId: string,
    readonly consumerId: string,
  ) {
    super(`Consumer '${consumerId}' not found in consumer group '${groupId}'.`)
  }
}

export class CommittedOffsetNotFoundError extends SluiceError {
  override readonly name = 'CommittedOffsetNotFoundError'
  constructor(groupId: string, topic: string, partition: number) {
    super(
      `Consumer group '${groupId}' has no committed offset for partition ${partition} of '${topic}'.`,
    )
  }
}
