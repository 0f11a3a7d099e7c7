/**
 * Errors a client can act on. Each carries the Confluent error code clients
 * already handle; the HTTP status is the code's first three digits, as in the
 * Confluent REST Proxy and Schema Registry.
 */
export abstract class SluiceError extends Error {
  abstract readonly code: number

  get status(): number {
    return this.code < 1000 ? this.code : Math.trunc(this.code / 100)
  }
}

/** The request itself is malformed: bad JSON, a wrong shape, an invalid value. */
export class BadRequestError extends SluiceError {
  override name = 'BadRequestError'
  readonly code = 400
}

export class UnsupportedMediaTypeError extends SluiceError {
  override name = 'UnsupportedMediaTypeError'
  readonly code = 415
}

/** The request is understood and authenticated, but this deployment does not allow it. */
export class ForbiddenError extends SluiceError {
  override name = 'ForbiddenError'
  readonly code = 40301
}

export class InvalidTopicError extends SluiceError {
  override name = 'InvalidTopicError'
  readonly code = 40002
}

export class TopicExistsError extends SluiceError {
  override name = 'TopicExistsError'
  readonly code = 40002
  constructor(readonly topic: string) {
    super(`Topic '${topic}' already exists.`)
  }
}

export class InvalidPartitionsError extends SluiceError {
  override name = 'InvalidPartitionsError'
  readonly code = 40002
}

export class InvalidConfigError extends SluiceError {
  override name = 'InvalidConfigError'
  readonly code = 40002
}

/** The request carries no valid credentials: no API key, an unknown or revoked one, or no IAM signature. */
export class UnauthenticatedError extends SluiceError {
  override name = 'UnauthenticatedError'
  readonly code = 40101
}

export class ClusterNotFoundError extends SluiceError {
  override name = 'ClusterNotFoundError'
  readonly code = 404
  constructor(readonly clusterId: string) {
    super(`Cluster '${clusterId}' not found.`)
  }
}

/** Sluice answers as one logical broker, id 0; any other id names nothing. */
export class BrokerNotFoundError extends SluiceError {
  override name = 'BrokerNotFoundError'
  readonly code = 404
  constructor(readonly brokerId: number) {
    super(`Broker ${brokerId} not found: Sluice serves as one logical broker, id 0.`)
  }
}

export class TopicNotFoundError extends SluiceError {
  override name = 'TopicNotFoundError'
  readonly code = 40401
  constructor(readonly topic: string) {
    super(`Topic '${topic}' not found.`)
  }
}

export class PartitionNotFoundError extends SluiceError {
  override name = 'PartitionNotFoundError'
  readonly code = 40402
  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {
    super(`Partition ${partition} of topic '${topic}' not found.`)
  }
}

export class ConfigNotFoundError extends SluiceError {
  override name = 'ConfigNotFoundError'
  readonly code = 404
  constructor(readonly config: string) {
    super(`Config '${config}' not found.`)
  }
}

/**
 * A record the topic cannot take, such as one without a key on a compacted
 * topic (Kafka's INVALID_RECORD). Confluent's proxy answers Kafka's request
 * errors with 40002, so this does too.
 */
export class InvalidRecordError extends SluiceError {
  override name = 'InvalidRecordError'
  readonly code = 40002
}

export class RecordTooLargeError extends SluiceError {
  override name = 'RecordTooLargeError'
  readonly code = 413
}

/** A partition's share of a request too big to store as one batch (Kafka's RECORD_LIST_TOO_LARGE). */
export class RecordListTooLargeError extends SluiceError {
  override name = 'RecordListTooLargeError'
  readonly code = 413
}

export class RequestTooLargeError extends SluiceError {
  override name = 'RequestTooLargeError'
  readonly code = 413
}

export class OffsetOutOfRangeError extends SluiceError {
  override name = 'OffsetOutOfRangeError'
  readonly code = 41601
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
  override name = 'PayloadConversionError'
  readonly code = 42203
}

/** Storage stayed contended or unavailable past the retry budget; the client may retry. */
export class RetriableStorageError extends SluiceError {
  override name = 'RetriableStorageError'
  readonly code = 50003
}

export class StorageError extends SluiceError {
  override name = 'StorageError'
  readonly code = 50002
}

/**
 * A commit whose answer never came: the records may or may not be stored.
 * Sending them again may store them twice, so this is not "retriable"; a
 * request with a producer id never ends here, since its resend is recognised.
 */
export class CommitOutcomeUnknownError extends SluiceError {
  override name = 'CommitOutcomeUnknownError'
  readonly code = 50004
}

/*
 * Idempotent producer errors. Kafka's names come first in the message, as the
 * group errors do; each has its own code so a client can act on it.
 */

/** Kafka's OUT_OF_ORDER_SEQUENCE_NUMBER: a batch skips or repeats sequences the log does not expect. */
export class OutOfOrderSequenceError extends SluiceError {
  override name = 'OutOfOrderSequenceError'
  readonly code = 40904
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
  override name = 'InvalidProducerEpochError'
  readonly code = 40905
}

/** Kafka's UNKNOWN_PRODUCER_ID: no producer with this id was ever initialized. */
export class UnknownProducerIdError extends SluiceError {
  override name = 'UnknownProducerIdError'
  readonly code = 40906
  constructor(readonly producerId: number) {
    super(`UNKNOWN_PRODUCER_ID: producer ${producerId} was never initialized.`)
  }
}
