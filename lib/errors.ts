/**
 * Errors a client can act on, named for what went wrong and free of any
 * protocol: lib/http answers each with its Confluent code, the Kafka gateway
 * with a Kafka error code. Anything else thrown is an internal failure.
 */
export abstract class SluiceError extends Error {
  abstract override readonly name: string
}

/** Sluice could not serve the request: storage failed or never answered. No fault of the request. */
export abstract class ServiceError extends SluiceError {}

/** The request itself is malformed: bad JSON, a wrong shape, an invalid value. */
export class BadRequestError extends SluiceError {
  override readonly name = 'BadRequestError'
}

export class UnsupportedMediaTypeError extends SluiceError {
  override readonly name = 'UnsupportedMediaTypeError'
}

/** The request is understood and authenticated, but this deployment does not allow it. */
export class ForbiddenError extends SluiceError {
  override readonly name = 'ForbiddenError'
}

export class InvalidTopicError extends SluiceError {
  override readonly name = 'InvalidTopicError'
}

export class TopicExistsError extends SluiceError {
  override readonly name = 'TopicExistsError'
  constructor(readonly topic: string) {
    super(`Topic '${topic}' already exists.`)
  }
}

export class InvalidPartitionsError extends SluiceError {
  override readonly name = 'InvalidPartitionsError'
}

export class InvalidConfigError extends SluiceError {
  override readonly name = 'InvalidConfigError'
}

/** The request carries no valid credentials: no API key, an unknown or revoked one, or no IAM signature. */
export class UnauthenticatedError extends SluiceError {
  override readonly name = 'UnauthenticatedError'
}

export class ClusterNotFoundError extends SluiceError {
  override readonly name = 'ClusterNotFoundError'
  constructor(readonly clusterId: string) {
    super(`Cluster '${clusterId}' not found.`)
  }
}

/** Sluice answers as one logical broker, id 0; any other id names nothing. */
export class BrokerNotFoundError extends SluiceError {
  override readonly name = 'BrokerNotFoundError'
  constructor(readonly brokerId: number) {
    super(`Broker ${brokerId} not found: Sluice serves as one logical broker, id 0.`)
  }
}

export class TopicNotFoundError extends SluiceError {
  override readonly name = 'TopicNotFoundError'
  constructor(readonly topic: string) {
    super(`Topic '${topic}' not found.`)
  }
}

export class PartitionNotFoundError extends SluiceError {
  override readonly name = 'PartitionNotFoundError'
  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {
    super(`Partition ${partition} of topic '${topic}' not found.`)
  }
}

export class ConfigNotFoundError extends SluiceError {
  override readonly name = 'ConfigNotFoundError'
  constructor(readonly config: string) {
    super(`Config '${config}' not found.`)
  }
}

/** A record the topic cannot take, such as one without a key on a compacted topic (Kafka's INVALID_RECORD). */
export class InvalidRecordError extends SluiceError {
  override readonly name = 'InvalidRecordError'
}

export class RecordTooLargeError extends SluiceError {
  override readonly name = 'RecordTooLargeError'
}

/** A partition's share of a request too big to store as one batch (Kafka's RECORD_LIST_TOO_LARGE). */
export class RecordListTooLargeError extends SluiceError {
  override readonly name = 'RecordListTooLargeError'
}

export class RequestTooLargeError extends SluiceError {
  override readonly name = 'RequestTooLargeError'
}

export class OffsetOutOfRangeError extends SluiceError {
  override readonly name = 'OffsetOutOfRangeError'
  constructor(
    readonly offset: number,
    readonly logStartOffset: number,
    readonly logEndOffset: number,
  ) {
    super(
      `Offset ${offset} is out of range: valid offsets are ${logStartOffset} to ${logEndOffset} (the log end).`,
    )
  }
}

/** A value could not be converted to bytes of its declared type. */
export class PayloadConversionError extends SluiceError {
  override readonly name = 'PayloadConversionError'
}

/**
 * Storage was throttled, failing, or stayed contended past the retry budget:
 * the same request may succeed later, and the client may retry it.
 */
export class RetriableStorageError extends ServiceError {
  override readonly name = 'RetriableStorageError'
}

/** The storage engine refused the request for a reason retrying will not cure: a missing table, denied access. */
export class StorageError extends ServiceError {
  override readonly name = 'StorageError'
}

/**
 * A commit whose answer never came: the records may or may not be stored.
 * Sending them again may store them twice, so this is not "retriable"; a
 * request with a producer id never ends here, since its resend is recognised.
 */
export class CommitOutcomeUnknownError extends ServiceError {
  override readonly name = 'CommitOutcomeUnknownError'
}

/* Idempotent producer errors. Kafka's names come first in the message, as the group errors do. */

/** Kafka's OUT_OF_ORDER_SEQUENCE_NUMBER: a batch skips or repeats sequences the log does not expect. */
export class OutOfOrderSequenceError extends SluiceError {
  override readonly name = 'OutOfOrderSequenceError'
  constructor(
    readonly partition: number,
    readonly expectedSequence: number,
    readonly firstSequence: number,
  ) {
    super(
      `OUT_OF_ORDER_SEQUENCE_NUMBER: partition ${partition} expected sequence ${expectedSequence}, got ${firstSequence}.`,
    )
  }
}

/** Kafka's INVALID_PRODUCER_EPOCH (PRODUCER_FENCED): a newer epoch of the producer id exists, or this one was never issued. */
export class InvalidProducerEpochError extends SluiceError {
  override readonly name = 'InvalidProducerEpochError'
}

/** Kafka's UNKNOWN_PRODUCER_ID: no producer with this id was ever initialized. */
export class UnknownProducerIdError extends SluiceError {
  override readonly name = 'UnknownProducerIdError'
  constructor(readonly producerId: number) {
    super(`UNKNOWN_PRODUCER_ID: producer ${producerId} was never initialized.`)
  }
}
