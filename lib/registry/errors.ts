import { SluiceError } from '../errors.ts'

/**
 * The schema registry's errors, with the codes of Confluent's Schema Registry
 * (io.confluent.kafka.schemaregistry.rest.exceptions.Errors), which its clients act on.
 */

export class SubjectNotFoundError extends SluiceError {
  override name = 'SubjectNotFoundError'
  readonly code = 40401
  constructor(readonly subject: string) {
    super(`Subject '${subject}' not found.`)
  }
}

export class VersionNotFoundError extends SluiceError {
  override name = 'VersionNotFoundError'
  readonly code = 40402
  constructor(
    readonly subject: string,
    readonly version: number | 'latest',
  ) {
    super(`Version ${version} of subject '${subject}' not found.`)
  }
}

export class SchemaNotFoundError extends SluiceError {
  override name = 'SchemaNotFoundError'
  readonly code = 40403
}

export class SubjectSoftDeletedError extends SluiceError {
  override name = 'SubjectSoftDeletedError'
  readonly code = 40404
  constructor(readonly subject: string) {
    super(`Subject '${subject}' was soft deleted; set permanent=true to delete it permanently.`)
  }
}

export class SubjectNotSoftDeletedError extends SluiceError {
  override name = 'SubjectNotSoftDeletedError'
  readonly code = 40405
  constructor(readonly subject: string) {
    super(`Subject '${subject}' was not deleted first before being permanently deleted.`)
  }
}

export class VersionSoftDeletedError extends SluiceError {
  override name = 'VersionSoftDeletedError'
  readonly code = 40406
  constructor(
    readonly subject: string,
    readonly version: number,
  ) {
    super(
      `Version ${version} of subject '${subject}' was soft deleted; set permanent=true to delete it permanently.`,
    )
  }
}

export class VersionNotSoftDeletedError extends SluiceError {
  override name = 'VersionNotSoftDeletedError'
  readonly code = 40407
  constructor(
    readonly subject: string,
    readonly version: number,
  ) {
    super(
      `Version ${version} of subject '${subject}' was not deleted first before being permanently deleted.`,
    )
  }
}

export class SubjectCompatibilityNotConfiguredError extends SluiceError {
  override name = 'SubjectCompatibilityNotConfiguredError'
  readonly code = 40408
  constructor(readonly subject: string) {
    super(`Subject '${subject}' does not have subject-level compatibility configured.`)
  }
}

export class IncompatibleSchemaError extends SluiceError {
  override name = 'IncompatibleSchemaError'
  readonly code = 40901
  constructor(
    readonly subject: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Schema being registered is incompatible with an earlier schema for subject '${subject}': ${problems.join('; ')}`,
    )
  }
}

export class InvalidSchemaError extends SluiceError {
  override name = 'InvalidSchemaError'
  readonly code = 42201
}

export class InvalidVersionError extends SluiceError {
  override name = 'InvalidVersionError'
  readonly code = 42202
  constructor(readonly version: string) {
    super(
      `The specified version '${version}' is not a valid version id; allowed values are 1 to 2147483647, -1 and 'latest'.`,
    )
  }
}

export class InvalidCompatibilityLevelError extends SluiceError {
  override name = 'InvalidCompatibilityLevelError'
  readonly code = 42203
}

export class InvalidSubjectError extends SluiceError {
  override name = 'InvalidSubjectError'
  readonly code = 42208
}

export class SchemaTooLargeError extends SluiceError {
  override name = 'SchemaTooLargeError'
  readonly code = 42209
}

/*
 * Producing through the registry answers with the REST Proxy's codes
 * (io.confluent.kafkarest.Errors), which differ from the registry's own.
 */

/** A v2 request has keys or values but no schema to serialize them with. */
export class SchemaMissingError extends SluiceError {
  override name = 'SchemaMissingError'
  readonly code: 42201 | 42202
  constructor(readonly which: 'key' | 'value') {
    super(
      `Request includes ${which}s but does not include a ${which} schema: give ${which}_schema or ${which}_schema_id.`,
    )
    this.code = which === 'key' ? 42201 : 42202
  }
}

/** A schema given with a produce request is not a valid schema. */
export class InvalidProduceSchemaError extends SluiceError {
  override name = 'InvalidProduceSchemaError'
  readonly code = 42205
}

/** The schema a record names could not be found or registered, so it cannot be serialized. */
export class SchemaSerializationError extends SluiceError {
  override name = 'SchemaSerializationError'
  readonly code = 42207
}
