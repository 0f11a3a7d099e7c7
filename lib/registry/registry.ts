import { LRUCache } from 'lru-cache'
import { type BackoffPolicy, backoff } from '../common/backoff.ts'
import { RetriableStorageError } from '../errors.ts'
import type { SchemaStore } from '../storage/ports/schemas.ts'
import type { SubjectStore } from '../storage/ports/subjects.ts'
import { compatibilityProblems, type EarlierVersion } from './compatibility.ts'
import { type CompatibilityLevel, DEFAULT_COMPATIBILITY } from './compatibility-levels.ts'
import {
  IncompatibleSchemaError,
  InvalidSubjectError,
  SchemaNotFoundError,
  SubjectCompatibilityNotConfiguredError,
  SubjectNotFoundError,
  SubjectNotSoftDeletedError,
  SubjectSoftDeletedError,
  VersionNotFoundError,
  VersionNotSoftDeletedError,
  VersionSoftDeletedError,
} from './errors.ts'
import { type ParsedSchema, parseSchema, type SchemaSubmission } from './schema-types.ts'
import {
  findVersion,
  nextVersion,
  type Subject,
  type VersionSelector,
  visibleVersions,
} from './subject.ts'

/** A schema under its global id. */
export interface RegisteredSchema {
  readonly id: number
  readonly schema: ParsedSchema
}

/** A schema as one version of a subject. */
export interface SubjectSchema extends RegisteredSchema {
  readonly subject: string
  readonly version: number
}

export interface SchemaUse {
  readonly subject: string
  readonly version: number
}

/** Where the registry keeps its state. */
export interface RegistryStores {
  readonly schemas: SchemaStore
  readonly subjects: SubjectStore
}

/** A subject is a DynamoDB key: its UTF-8 form must fit the 2048-byte key limit. */
export const MAX_SUBJECT_BYTES = 2048

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/

function validateSubject(name: string): void {
  if (name.length === 0) throw new InvalidSubjectError('Subject name is empty.')
  if (CONTROL_CHARACTERS.test(name)) {
    throw new InvalidSubjectError(`Subject ${JSON.stringify(name)} contains a control character.`)
  }
  if (Buffer.byteLength(name, 'utf8') > MAX_SUBJECT_BYTES) {
    throw new InvalidSubjectError(`Subject name is longer than ${MAX_SUBJECT_BYTES} bytes.`)
  }
}

/** What a change to a subject returns: its result, and the subject to store (none: no write). */
interface SubjectChange<T> {
  readonly result: T
  readonly next?: Omit<Subject, 'revision'>
}

const CHANGE_BACKOFF: BackoffPolicy = { baseMs: 5, capMs: 200 }
const CHANGE_ATTEMPTS = 50

/** Parsed schemas by id. Ids never change meaning, so entries never go stale; only memory bounds them. */
const SCHEMA_CACHE_ENTRIES = 2000

/**
 * A Confluent-compatible schema registry. Schemas get one global id each,
 * claimed by fingerprint; a subject's versions are stored whole and change
 * only by a write conditioned on the revision they were read at, so
 * concurrent registrations of one schema yield one id and one version.
 */
export class SchemaRegistry {
  private readonly cache = new LRUCache<number, RegisteredSchema>({ max: SCHEMA_CACHE_ENTRIES })

  constructor(
    private readonly schemas: SchemaStore,
    private readonly subjects: SubjectStore,
  ) {}

  async schemaById(id: number): Promise<RegisteredSchema> {
    const cached = this.cache.get(id)
    if (cached) return cached
    const stored = await this.schemas.schema(id)
    if (!stored) throw new SchemaNotFoundError(`Schema ${id} not found.`)
    const registered = {
      id,
      schema: parseSchema({ schema: stored.schema, schemaType: stored.schemaType }),
    }
    this.cache.set(id, registered)
    return registered
  }

  /** The subject versions that use schema `id`. */
  async usesOf(id: number, includeDeleted: boolean): Promise<SchemaUse[]> {
    await this.schemaById(id)
    return (await this.allSubjects()).flatMap((subject) =>
      visibleVersions(subject, includeDeleted)
        .filter((entry) => entry.id === id)
        .map((entry) => ({ subject: subject.name, version: entry.version })),
    )
  }

  async listSubjects(includeDeleted: boolean, prefix = ''): Promise<string[]> {
    return (await this.allSubjects())
      .filter((subject) => subject.name.startsWith(prefix))
      .filter((subject) => visibleVersions(subject, includeDeleted).length > 0)
      .map((subject) => subject.name)
  }

  async versions(name: string, includeDeleted: boolean): Promise<number[]> {
    const visible = visibleVersions(await this.existing(name, includeDeleted), includeDeleted)
    return visible.map((entry) => entry.version)
  }

  async version(
    name: string,
    selector: VersionSelector,
    includeDeleted: boolean,
  ): Promise<SubjectSchema> {
    const subject = await this.existing(name, includeDeleted)
    const entry = findVersion(subject, selector, includeDeleted)
    if (!entry) throw new VersionNotFoundError(name, selector)
    return { ...(await this.schemaById(entry.id)), subject: name, version: entry.version }
  }

  /**
   * Registers a schema under a subject. The same schema keeps its id across
   * subjects, and registering a live version's schema again returns that
   * version; anything new must be compatible with the subject's earlier
   * versions under its level, or nothing is written.
   */
  async register(name: string, submission: SchemaSubmission): Promise<SubjectSchema> {
    validateSubject(name)
    const candidate = parseSchema(submission)
    let id = await this.schemas.idFor(candidate.fingerprint)
    return this.change(name, async (subject) => {
      const existing = subject.versions.find((entry) => entry.id === id && !entry.deleted)
      if (id !== undefined && existing) {
        return {
          result: { ...(await this.schemaById(id)), subject: name, version: existing.version },
        }
      }
      const level = subject.compatibility ?? (await this.globalCompatibility())
      const problems = compatibilityProblems(candidate, await this.earlier(subject), level)
      if (problems.length > 0) throw new IncompatibleSchemaError(name, problems)
      id ??= await this.schemas.allocate(candidate)
      const version = nextVersion(subject)
      return {
        result: { ...(await this.schemaById(id)), subject: name, version },
        next: { ...subject, versions: [...subject.versions, { version, id, deleted: false }] },
      }
    })
  }

  /** The version of a subject that holds this schema. */
  async lookup(
    name: string,
    submission: SchemaSubmission,
    includeDeleted: boolean,
  ): Promise<SubjectSchema> {
    const candidate = parseSchema(submission)
    const subject = await this.existing(name, includeDeleted)
    const id = await this.schemas.idFor(candidate.fingerprint)
    const entry = visibleVersions(subject, includeDeleted).findLast((v) => v.id === id)
    if (id === undefined || !entry) {
      throw new SchemaNotFoundError(`Schema not found under subject '${name}'.`)
    }
    return { ...(await this.schemaById(id)), subject: name, version: entry.version }
  }

  /**
   * Soft delete hides every version and drops the subject's own level, as
   * Confluent's does; permanent delete then removes the versions for good.
   * Answers the versions deleted.
   */
  deleteSubject(name: string, permanent: boolean): Promise<number[]> {
    validateSubject(name)
    return this.change(name, async (subject) => {
      if (subject.versions.length === 0) throw new SubjectNotFoundError(name)
      const live = visibleVersions(subject, false)
      if (permanent) {
        if (live.length > 0) throw new SubjectNotSoftDeletedError(name)
        return {
          result: subject.versions.map((entry) => entry.version),
          next: { name, versions: [] },
        }
      }
      if (live.length === 0) throw new SubjectSoftDeletedError(name)
      return {
        result: live.map((entry) => entry.version),
        next: { name, versions: subject.versions.map((entry) => ({ ...entry, deleted: true })) },
      }
    })
  }

  /** Soft or (after a soft delete) permanent delete of one version; answers its number. */
  deleteVersion(name: string, selector: VersionSelector, permanent: boolean): Promise<number> {
    validateSubject(name)
    return this.change(name, async (subject) => {
      if (subject.versions.length === 0) throw new SubjectNotFoundError(name)
      const target = findVersion(subject, selector, permanent)
      if (!target) {
        const hidden = findVersion(subject, selector, true)
        throw hidden
          ? new VersionSoftDeletedError(name, hidden.version)
          : new VersionNotFoundError(name, selector)
      }
      if (permanent && !target.deleted) throw new VersionNotSoftDeletedError(name, target.version)
      const versions = permanent
        ? subject.versions.filter((entry) => entry.version !== target.version)
        : subject.versions.map((entry) =>
            entry.version === target.version ? { ...entry, deleted: true } : entry,
          )
      return { result: target.version, next: { ...subject, versions } }
    })
  }

  /**
   * What breaks if `submission` were registered next: against one version, or
   * (`all`) against the versions the subject's level checks. Empty: compatible.
   */
  async compatibilityProblems(
    name: string,
    submission: SchemaSubmission,
    against: VersionSelector | 'all',
  ): Promise<string[]> {
    validateSubject(name)
    const candidate = parseSchema(submission)
    const subject = await this.subjects.get(name)
    const level = subject.compatibility ?? (await this.globalCompatibility())
    if (against === 'all')
      return compatibilityProblems(candidate, await this.earlier(subject), level)
    const entry = findVersion(subject, against, false)
    // A subject without versions accepts any first schema, as Confluent answers for `latest`.
    if (!entry && against === 'latest') return []
    if (!entry) throw new VersionNotFoundError(name, against)
    const { schema } = await this.schemaById(entry.id)
    return compatibilityProblems(candidate, [{ version: entry.version, schema }], level)
  }

  async globalCompatibility(): Promise<CompatibilityLevel> {
    return (await this.schemas.globalCompatibility()) ?? DEFAULT_COMPATIBILITY
  }

  setGlobalCompatibility(level: CompatibilityLevel): Promise<void> {
    return this.schemas.setGlobalCompatibility(level)
  }

  /** Puts the global level back to the default; answers the level it had. */
  async resetGlobalCompatibility(): Promise<CompatibilityLevel> {
    const previous = await this.globalCompatibility()
    await this.schemas.clearGlobalCompatibility()
    return previous
  }

  /** The subject's own level; without one, 40408 unless the global level may stand in. */
  async subjectCompatibility(name: string, defaultToGlobal: boolean): Promise<CompatibilityLevel> {
    validateSubject(name)
    const own = (await this.subjects.get(name)).compatibility
    if (own) return own
    if (defaultToGlobal) return this.globalCompatibility()
    throw new SubjectCompatibilityNotConfiguredError(name)
  }

  setSubjectCompatibility(name: string, level: CompatibilityLevel): Promise<void> {
    validateSubject(name)
    return this.change(name, async (subject) => ({
      result: undefined,
      next: { ...subject, compatibility: level },
    }))
  }

  /** Removes the subject's own level; answers the level it had. */
  deleteSubjectCompatibility(name: string): Promise<CompatibilityLevel> {
    validateSubject(name)
    return this.change(name, async (subject) => {
      const { compatibility, ...rest } = subject
      if (!compatibility) throw new SubjectCompatibilityNotConfiguredError(name)
      return { result: compatibility, next: rest }
    })
  }

  /** The subject, if it has versions that may be seen; otherwise 40401. */
  private async existing(name: string, includeDeleted: boolean): Promise<Subject> {
    validateSubject(name)
    const subject = await this.subjects.get(name)
    if (visibleVersions(subject, includeDeleted).length === 0) throw new SubjectNotFoundError(name)
    return subject
  }

  /** Every stored subject, in name order. */
  private async allSubjects(): Promise<Subject[]> {
    const subjects = await this.subjects.list()
    return subjects.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  private earlier(subject: Subject): Promise<EarlierVersion[]> {
    return Promise.all(
      visibleVersions(subject, false).map(async ({ version, id }) => ({
        version,
        schema: (await this.schemaById(id)).schema,
      })),
    )
  }

  /**
   * Reads a subject, decides, and writes the decision on condition that nobody
   * wrote in between; a lost race decides again on what the winner wrote.
   */
  private async change<T>(name: string, decide: (subject: Subject) => Promise<SubjectChange<T>>) {
    for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
      const subject = await this.subjects.get(name)
      const { result, next } = await decide(subject)
      if (!next || (await this.subjects.replace(subject, next))) return result
      await backoff(attempt, CHANGE_BACKOFF)
    }
    throw new RetriableStorageError(
      `Subject '${name}' stayed contended through ${CHANGE_ATTEMPTS} attempts; retry the request.`,
    )
  }
}

export function createSchemaRegistry({ schemas, subjects }: RegistryStores): SchemaRegistry {
  return new SchemaRegistry(schemas, subjects)
}
