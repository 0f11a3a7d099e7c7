import { SluiceError } from '../errors.ts'

/** The schema registry's errors; lib/http answers them with the codes of Confluent's Schema Registry. */

export class SubjectNotFoundError extends SluiceError {
  override readonly name = 'SubjectNotFoundError'
  constructor(readonly subject: string) {
    super(`Subject '${subject}' not found.`)
  }
}

export class VersionNotFoundError extends SluiceError {
  override readonly name = 'VersionNotFoundError'
  constructor(
    readonly subject: string,
    readonly version: number | 'latest',
  ) {
    super(`Version ${version} of subject '${subject}' not found.`)
  }
}

export class SchemaNotFoundError extends SluiceError {
  override readonly name = 'SchemaNotFoundError'
}

export class SubjectSoftDeletedError extends SluiceError {
  override readonly name = 'SubjectSoftDeletedError'
  constructor(readonly subject: string) {
    super(`Subject '${subject}' was soft deleted; set permanent=true to delete it permanently.`)
  }
}

export class SubjectNotSoftDeletedError extends SluiceError {
  override readonly name = 'SubjectNotSoftDeletedError'
  constructor(readonly subject: string) {
    super(`Subject '${subject}' was not deleted first before being permanently deleted.`)
  }
}

export class VersionSoftDeletedError extends SluiceError {
  override readonly name = 'VersionSoftDeletedError'
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
  override readonly name = 'VersionNotSoftDeletedError'
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
  override readonly name = 'SubjectCompatibilityNotConfiguredError'
  constructor(readonly subject: string) {
    super(`Subject '${subject}' does not have subject-level compatibility configured.`)
  }
}

export class IncompatibleSchemaError extends SluiceError {
  override readonly name = 'IncompatibleSchemaError'
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
  override readonly name = 'InvalidSchemaError'
}

export class InvalidVersionError extends SluiceError {
  override readonly name = 'InvalidVersionError'
  constructor(readonly version: string) {
    super(
      `The specified version '${version}' is not a valid version id; allowed values are 1 to 2147483647, -1 and 'latest'.`,
    )
  }
}

export class InvalidCompatibilityLevelError extends SluiceError {
  override readonly name = 'InvalidCompatibilityLevelError'
}

export class InvalidSubjectError extends SluiceError {
  override readonly name = 'InvalidSubjectError'
}

export class SchemaTooLargeError extends SluiceError {
  override readonly name = 'SchemaTooLargeError'
}

/* Producing through the registry: the REST Proxy's errors, which differ from the registry's own. */

/** A v2 request has keys or values but no schema to serialize them with. */
export class SchemaMissingError extends SluiceError {
  override readonly name = 'SchemaMissingError'
  constructor(readonly which: 'key' | 'value') {
    super(
      `Request includes ${which}s but does not include a ${which} schema: give ${which}_schema or ${which}_schema_id.`,
    )
  }
}

/** A schema given with a produce request is not a valid schema. */
export class InvalidProduceSchemaError extends SluiceError {
  override readonly name = 'InvalidProduceSchemaError'
}

/** The schema a record names could not be found or registered, so it cannot be serialized. */
export class SchemaSerializationError extends SluiceError {
  override readonly name = 'SchemaSerializationError'
}
