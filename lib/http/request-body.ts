import type { Context } from 'hono'
import type { z } from 'zod'
import { BadRequestError, UnsupportedMediaTypeError } from '../errors.ts'

/** Content types a JSON body may arrive with; the vendor types are the REST Proxy's own. */
export function isJsonContentType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? ''
  return (
    mediaType === 'application/json' || /^application\/vnd\.[a-z0-9.+-]*\+json$/.test(mediaType)
  )
}

export function requireJsonContentType(c: Context): void {
  const contentType = c.req.header('content-type')
  if (!isJsonContentType(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Unsupported Content-Type '${contentType ?? '(none)'}': send application/json.`,
    )
  }
}

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : 'body'
      return `${path}: ${issue.message}`
    })
    .join('; ')
}

export function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input)
  if (!result.success)
    throw new BadRequestError(`Invalid request: ${describeZodError(result.error)}.`)
  return result.data
}

/** Reads a body as one JSON value, without looking at its content type. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text()
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new BadRequestError(`Malformed JSON body: ${(error as Error).message}.`)
  }
}

/** Reads a JSON body, checks its content type, and validates it against `schema`. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  requireJsonContentType(c)
  return parseWith(schema, await readJson(c))
}

/** Like jsonBody, but an empty body stands for `{}` (the REST Proxy allows that on some calls). */
export async function optionalJsonBody<T extends z.ZodType>(
  c: Context,
  schema: T,
): Promise<z.infer<T>> {
  // Judged by the body itself: a request built in process carries no content-length.
  if ((await c.req.text()).trim() === '') return parseWith(schema, {})
  return jsonBody(c, schema)
}
