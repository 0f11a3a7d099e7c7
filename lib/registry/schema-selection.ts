import type { SubjectVersionRef } from '../broker/produce-record.ts'
import { ServiceError, SluiceError } from '../errors.ts'
import {
  InvalidProduceSchemaError,
  InvalidSchemaError,
  SchemaSerializationError,
  SchemaTooLargeError,
} from './errors.ts'
import type { SchemaRegistry, SubjectSchema } from './registry.ts'
import { type ParsedSchema, parseSchema } from './schema-types.ts'

/** How a producer's subject is named when it gives none (Confluent's subject name strategies). */
export const SUBJECT_NAME_STRATEGIES = ['TOPIC_NAME', 'RECORD_NAME', 'TOPIC_RECORD_NAME'] as const
export type SubjectNameStrategy = (typeof SUBJECT_NAME_STRATEGIES)[number]

export type PayloadRole = 'key' | 'value'

/** What a key or value of a produce request says about its schema. */
export interface SchemaRequest {
  readonly schemaId?: number
  readonly schemaVersion?: number
  readonly subject?: string
  readonly strategy?: SubjectNameStrategy
  /** A schema to register (or find) under the subject. */
  readonly schema?: string
}

/** The schema a payload is serialized with. */
export interface ChosenSchema {
  readonly id: number
  readonly schema: ParsedSchema
  /** The subject version it was chosen as; none when chosen by id. */
  readonly subjectVersion?: SubjectVersionRef
}

/**
 * Chooses the schema of each key and value of one produce request as the
 * Confluent REST Proxy does: by `schema_id`; by `schema_version` of the
 * subject; by registering `schema` under the subject; else the subject's latest
 * version. The subject is the one given, or the strategy's (TopicNameStrategy
 * by default: `<topic>-key`, `<topic>-value`). Choices are remembered for the
 * request, so a thousand records with one schema cost one lookup.
 */
export class SchemaSelector {
  private readonly chosen = new Map<string, Promise<ChosenSchema>>()

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly topic: string,
  ) {}

  choose(role: PayloadRole, request: SchemaRequest): Promise<ChosenSchema> {
    const key = JSON.stringify([role, request])
    let choice = this.chosen.get(key)
    if (!choice) {
      choice = this.resolve(role, request)
      this.chosen.set(key, choice)
    }
    return choice
  }

  /**
   * The schema `choose` would use, without registering anything: a request can
   * check its records first, so a bad one leaves the registry unchanged.
   */
  async preview(role: PayloadRole, request: SchemaRequest): Promise<ParsedSchema> {
    const { schema } = request
    if (schema === undefined) return (await this.choose(role, request)).schema
    return registryStep(`The ${role} schema`, async () => parseSchema({ schema }))
  }

  private async resolve(role: PayloadRole, request: SchemaRequest): Promise<ChosenSchema> {
    const { schemaId, schemaVersion, schema } = request
    if (schemaId !== undefined) {
      return registryStep(`The ${role} schema ${schemaId}`, () =>
        this.registry.schemaById(schemaId),
      )
    }
    if (schemaVersion !== undefined) {
      const subject = this.subject(role, request)
      return registryStep(`Version ${schemaVersion} of subject '${subject}'`, async () =>
        asChosen(await this.registry.version(subject, schemaVersion, false)),
      )
    }
    if (schema !== undefined) {
      const parsed = await this.preview(role, request)
      const subject = this.subject(role, request, parsed)
      return registryStep(`The ${role} schema, registered under subject '${subject}',`, async () =>
        asChosen(await this.registry.register(subject, { schema })),
      )
    }
    const subject = this.subject(role, request)
    return registryStep(`The latest version of subject '${subject}'`, async () =>
      asChosen(await this.registry.version(subject, 'latest', false)),
    )
  }

  private subject(role: PayloadRole, request: SchemaRequest, schema?: ParsedSchema): string {
    if (request.subject !== undefined) return request.subject
    const strategy = request.strategy ?? 'TOPIC_NAME'
    if (strategy === 'TOPIC_NAME') return `${this.topic}-${role}`
    const name = schema?.avro.name
    if (!name) {
      throw new SchemaSerializationError(
        schema
          ? `Subject name strategy ${strategy} needs a named (record, enum or fixed) ${role} schema.`
          : `Subject name strategy ${strategy} needs the ${role} schema itself: give schema, schema_id or subject.`,
      )
    }
    return strategy === 'RECORD_NAME' ? name : `${this.topic}-${name}`
  }
}

function asChosen({ id, schema, subject, version }: SubjectSchema): ChosenSchema {
  return { id, schema, subjectVersion: { subject, version } }
}

/**
 * Runs a registry step of a produce request, answering with the REST Proxy's
 * codes: an invalid schema is 42205, anything the registry refuses (unknown
 * subject, version or id; an incompatible schema) is 42207. Storage failures pass as they are.
 */
async function registryStep<T>(context: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    if (error instanceof InvalidSchemaError || error instanceof SchemaTooLargeError) {
      throw new InvalidProduceSchemaError(`${context} is invalid: ${error.message}`)
    }
    if (error instanceof SluiceError && !(error instanceof ServiceError)) {
      throw new SchemaSerializationError(`${context} could not be used: ${error.message}`)
    }
    throw error
  }
}
