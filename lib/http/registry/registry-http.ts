import type { Context, MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { BadRequestError } from '../../errors.ts'
import { InvalidSchemaError, InvalidVersionError } from '../../registry/errors.ts'
import type { SubjectSchema } from '../../registry/registry.ts'
import type { SchemaSubmission } from '../../registry/schema-types.ts'
import type { VersionSelector } from '../../registry/subject.ts'
import { jsonBody } from '../request-body.ts'

/** What Confluent's registry answers with; its clients send it, or application/json. */
export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'

/** Every registry answer, errors included, carries the registry's content type. */
export const registryContentType: MiddlewareHandler = async (c, next) => {
  await next()
  c.res.headers.set('content-type', REGISTRY_CONTENT_TYPE)
}

const MAX_VERSION = 2 ** 31 - 1

/** A version path segment: 1 to 2^31-1, or `latest` (also spelled -1); anything else is 42202. */
export function versionParam(text: string): VersionSelector {
  if (text === 'latest' || text === '-1') return 'latest'
  const version = /^\d{1,10}$/.test(text) ? Number(text) : 0
  if (version < 1 || version > MAX_VERSION) throw new InvalidVersionError(text)
  return version
}

/** A `true`/`false` query flag, false when absent. */
export function flag(c: Context, name: string): boolean {
  const value = c.req.query(name)
  if (value === undefined || value === 'false') return false
  if (value === 'true') return true
  throw new BadRequestError(`Query parameter ${name} must be true or false; got '${value}'.`)
}

const schemaBody = z.object({
  schema: z.string(),
  schemaType: z.string().nullable().optional(),
  references: z.array(z.unknown()).nullable().optional(),
  metadata: z.unknown().optional(),
  ruleSet: z.unknown().optional(),
})

/** The body of register, lookup and compatibility requests. */
export async function schemaSubmission(c: Context): Promise<SchemaSubmission> {
  const body = await jsonBody(c, schemaBody)
  if ((body.metadata ?? null) !== null || (body.ruleSet ?? null) !== null) {
    throw new InvalidSchemaError(
      'Schema metadata and rule sets (data contracts) are not supported by Sluice.',
    )
  }
  return body
}

/**
 * A subject version as Confluent answers it. Confluent leaves `schemaType`
 * out for AVRO, the type clients assume, and AVRO is the only type stored.
 */
export function subjectSchemaBody({ subject, version, id, schema }: SubjectSchema) {
  return { subject, version, id, schema: schema.text }
}
