import {
  InvalidRecordError,
  OffsetOutOfRangeError,
  PartitionNotFoundError,
  RecordTooLargeError,
  RetriableStorageError,
  TopicNotFoundError,
} from '../../errors.ts'
import { ErrorCode } from '../protocol/error-codes.ts'

/** The Kafka error code a client acts on for what the broker threw; unknown failures are -1. */
export function errorCodeFor(error: unknown): ErrorCode {
  if (error instanceof TopicNotFoundError || error instanceof PartitionNotFoundError) {
    return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
  }
  if (error instanceof OffsetOutOfRangeError) return ErrorCode.OFFSET_OUT_OF_RANGE
  if (error instanceof RecordTooLargeError) return ErrorCode.MESSAGE_TOO_LARGE
  if (error instanceof InvalidRecordError) return ErrorCode.INVALID_RECORD
  // Retriable on the client: it tries again, as it would after a broker timeout.
  if (error instanceof RetriableStorageError) return ErrorCode.REQUEST_TIMED_OUT
  return ErrorCode.UNKNOWN_SERVER_ERROR
}
