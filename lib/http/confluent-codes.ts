/**
 * The Confluent error code of every domain error: the REST Proxy's
 * (io.confluent.kafkarest.Errors) and the Schema Registry's
 * (io.confluent.kafka.schemaregistry.rest.exceptions.Errors), which their
 * clients act on. The HTTP status is a code's first three digits.
 */
import type * as LogErrors from '../errors.ts'
import type { SluiceError } from '../errors.ts'
import type * as GroupErrors from '../groups/errors.ts'
import type * as RegistryErrors from '../registry/errors.ts'

/** The concrete errors a module exports; abstract bases name no single error. */
type ErrorsIn<Module> = {
  [Export in keyof Module]: Module[Export] extends new (
    ...args: never[]
  ) => infer E
    ? E extends SluiceError
      ? E
      : never
    : never
}[keyof Module]

type DomainError =
  | ErrorsIn<typeof LogErrors>
  | ErrorsIn<typeof GroupErrors>
  | ErrorsIn<typeof RegistryErrors>

/**
 * The errors' names, each a literal; an error declaring a plain string name
 * (`override name = '...'`, without `readonly`) turns this into the message
 * below, which the table then misses by name.
 */
type ErrorName = string extends DomainError['name']
  ? 'Declare each error name as `override readonly name`'
  : DomainError['name']

/** A code, or how to choose one when the error's fields decide it. */
type CodeOf = {
  readonly [Name in ErrorName]: number | ((error: Extract<DomainError, { name: Name }>) => number)
}

// Typed as a record over every error's name: an error added without a code does not compile.
const CODES: CodeOf = {
  BadRequestError: 400,
  UnsupportedMediaTypeError: 415,
  ForbiddenError: 40301,
  InvalidTopicError: 40002,
  TopicExistsError: 40002,
  InvalidPartitionsError: 40002,
  InvalidConfigError: 40002,
  UnauthenticatedError: 40101,
  ClusterNotFoundError: 404,
  BrokerNotFoundError: 404,
  TopicNotFoundError: 40401,
  PartitionNotFoundError: 40402,
  ConfigNotFoundError: 404,
  InvalidRecordError: 40002,
  RecordTooLargeError: 413,
  RecordListTooLargeError: 413,
  RequestTooLargeError: 413,
  OffsetOutOfRangeError: 41601,
  PayloadConversionError: 42203,
  RetriableStorageError: 50003,
  StorageError: 50002,
  CommitOutcomeUnknownError: 50004,
  OutOfOrderSequenceError: 40904,
  InvalidProducerEpochError: 40905,
  UnknownProducerIdError: 40906,
  // Kafka's group errors have no REST code of their own: the proxy's "illegal state" 40903.
  ConsumerInstanceNotFoundError: 40403,
  ConsumerGroupNotFoundError: 40405,
  ConsumerFormatMismatchError: 40601,
  ConsumerInstanceExistsError: 40902,
  IllegalConsumerStateError: 40903,
  UnknownMemberIdError: 40903,
  StaleMemberEpochError: 40903,
  FencedMemberEpochError: 40903,
  GroupNotEmptyError: 40903,
  NoOffsetForPartitionError: 40903,
  InvalidConsumerConfigError: 42204,
  ConcurrentInstanceUpdateError: 40903,
  ConsumerNotFoundError: 404,
  CommittedOffsetNotFoundError: 404,
  SubjectNotFoundError: 40401,
  VersionNotFoundError: 40402,
  SchemaNotFoundError: 40403,
  SubjectSoftDeletedError: 40404,
  SubjectNotSoftDeletedError: 40405,
  VersionSoftDeletedError: 40406,
  VersionNotSoftDeletedError: 40407,
  SubjectCompatibilityNotConfiguredError: 40408,
  IncompatibleSchemaError: 40901,
  InvalidSchemaError: 42201,
  InvalidVersionError: 42202,
  InvalidCompatibilityLevelError: 42203,
  InvalidSubjectError: 42208,
  SchemaTooLargeError: 42209,
  SchemaMissingError: (error) => (error.which === 'key' ? 42201 : 42202),
  InvalidProduceSchemaError: 42205,
  SchemaSerializationError: 42207,
}

export function confluentCode(error: SluiceError): number {
  const code = (CODES as Record<string, number | ((error: SluiceError) => number) | undefined>)[
    error.name
  ]
  if (code === undefined) throw new TypeError(`${error.name} has no Confluent code.`)
  return typeof code === 'number' ? code : code(error)
}

/** The HTTP status of a Confluent code: the code itself when it is one, else its first three digits. */
export function statusOf(code: number): number {
  return code < 1000 ? code : Math.trunc(code / 100)
}
