import { segment, type Transport } from './transport.ts'

/** Confluent's compatibility levels, as the registry names them. */
export type CompatibilityLevel =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE'

const REGISTRY = 'application/vnd.schemaregistry.v1+json'

/** A subject's version: which schema, under which global id. */
export interface SubjectVersion {
  readonly subject: string
  readonly version: number
  readonly id: number
  readonly schema: string
}

/** The Confluent Schema Registry API Sluice serves on the same URL (Avro schemas). */
export class SchemaRegistryClient {
  constructor(private readonly transport: Transport) {}

  listSubjects(): Promise<string[]> {
    return this.call('GET', '/subjects')
  }

  versions(subject: string): Promise<number[]> {
    return this.call('GET', `/subjects/${segment(subject)}/versions`)
  }

  /** A version of the subject, the latest by default. */
  version(subject: string, version: number | 'latest' = 'latest'): Promise<SubjectVersion> {
    return this.call('GET', `/subjects/${segment(subject)}/versions/${version}`)
  }

  /** Registers a schema under the subject (or finds it there); resolves its global id. */
  async register(subject: string, schema: string): Promise<number> {
    const { id } = await this.call<{ id: number }>(
      'POST',
      `/subjects/${segment(subject)}/versions`,
      { schema },
    )
    return id
  }

  /**
   * Whether the subject would take the schema as its next version: against one
   * version, or (`'all'`) against every version. `messages` says what breaks.
   */
  async checkCompatibility(
    subject: string,
    schema: string,
    against: number | 'latest' | 'all' = 'latest',
  ): Promise<{ isCompatible: boolean; messages: string[] }> {
    const versions = against === 'all' ? 'versions' : `versions/${against}`
    const answer = await this.call<{ is_compatible: boolean; messages?: string[] }>(
      'POST',
      `/compatibility/subjects/${segment(subject)}/${versions}?verbose=true`,
      { schema },
    )
    return { isCompatible: answer.is_compatible, messages: answer.messages ?? [] }
  }

  /** Deletes a subject or one version; soft unless `permanent` (which needs a soft delete first). */
  deleteSubject(
    subject: string,
    options: { readonly version?: number | 'latest'; readonly permanent?: boolean } = {},
  ): Promise<number[] | number> {
    const version = options.version === undefined ? '' : `/versions/${options.version}`
    const query = options.permanent ? '?permanent=true' : ''
    return this.call('DELETE', `/subjects/${segment(subject)}${version}${query}`)
  }

  /** The level of a subject (falling back to the global one), or the global level. */
  async compatibility(subject?: string): Promise<CompatibilityLevel> {
    const path =
      subject === undefined ? '/config' : `/config/${segment(subject)}?defaultToGlobal=true`
    const answer = await this.call<{ compatibilityLevel: CompatibilityLevel }>('GET', path)
    return answer.compatibilityLevel
  }

  async setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    const path = subject === undefined ? '/config' : `/config/${segment(subject)}`
    await this.call('PUT', path, { compatibility: level })
  }

  private call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) {
    return this.transport.json<T>({
      method,
      path,
      accept: REGISTRY,
      ...(body !== undefined && { body, contentType: REGISTRY }),
    })
  }
}
