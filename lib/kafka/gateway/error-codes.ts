import {
  BadRequestError,
  ConfigNotFoundError,
  InvalidConfigError,
  InvalidPartitionsError,
  InvalidProducerEpochError,
  InvalidRecordError,
  InvalidTopicError,
  OffsetOutOfRangeError,
  OutOfOrderSequenceError,
  PartitionNotFoundError,
  RecordListTooLargeError,
  RecordTooLargeError,
  RetriableStorageError,
  TopicExistsError,
  TopicNotFoundError,
  UnknownProducerIdError,
} from '../../errors.ts'
import {
  ConsumerGroupNotFoundError,
  FencedMemberEpochError,
  GroupNotEmptyError,
  InvalidConsumerConfigError,
  StaleMemberEpochError,
  UnknownMemberIdError,
} from '../../groups/errors.ts'
import { ErrorCode } from '../protocol/error-codes.ts'

/** The Kafka error code a client acts on for what the broker threw; unknown failures are -1. */
export function errorCodeFor(error: unknown): ErrorCode {
  if (error instanceof TopicNotFoundError || error instanceof PartitionNotFoundError) {
    return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
  }
  if (error instanceof OffsetOutOfRangeError) return ErrorCode.OFFSET_OUT_OF_RANGE
  if (error instanceof RecordTooLargeError) return ErrorCode.MESSAGE_TOO_LARGE
  if (error instanceof RecordListTooLargeError) return ErrorCode.RECORD_LIST_TOO_LARGE
  if (error instanceof InvalidRecordError) return ErrorCode.INVALID_RECORD
  if (error instanceof OutOfOrderSequenceError) return ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER
  if (error instanceof InvalidProducerEpochError) return ErrorCode.INVALID_PRODUCER_EPOCH
  if (error instanceof UnknownProducerIdError) return ErrorCode.UNKNOWN_PRODUCER_ID
  if (error instanceof TopicExistsError) return ErrorCode.TOPIC_ALREADY_EXISTS
  if (error instanceof InvalidTopicError) return ErrorCode.INVALID_TOPIC_EXCEPTION
  if (error instanceof InvalidPartitionsError) return ErrorCode.INVALID_PARTITIONS
  if (error instanceof InvalidConfigError || error instanceof ConfigNotFoundError) {
    return ErrorCode.INVALID_CONFIG
  }
  if (error instanceof UnknownMemberIdError) return ErrorCode.UNKNOWN_MEMBER_ID
  if (error instanceof StaleMemberEpochError || error instanceof FencedMemberEpochError) {
    return ErrorCode.ILLEGAL_GENERATION
  }
  if (error instanceof InvalidConsumerConfigError) return ErrorCode.INVALID_SESSION_TIMEOUT
  if (error instanceof GroupNotEmptyError) return ErrorCode.NON_EMPTY_GROUP
  if (error instanceof ConsumerGroupNotFoundError) return ErrorCode.GROUP_ID_NOT_FOUND
  if (error instanceof BadRequestError) return ErrorCode.INVALID_REQUEST
  // Retriable on the client: it tries again, as it would after a broker timeout.
  if (error instanceof RetriableStorageError) return ErrorCode.REQUEST_TIMED_OUT
  return ErrorCode.UNKNOWN_SERVER_ERROR
}

/** The code and message of a failure, for the responses that carry both. */
export function errorOf(error: unknown): { errorCode: number; errorMessage: string | null } {
  return {
    errorCode: errorCodeFor(error),
    errorMessage: error instanceof Error ? error.message : null,
  }
}
