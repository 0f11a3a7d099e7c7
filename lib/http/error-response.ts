import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { SluiceError } from '../errors.ts'

export interface ErrorBody {
  readonly error_code: number
  readonly message: string
}

export function errorBody(error: SluiceError): ErrorBody {
  return { error_code: error.code, message: error.message }
}

/** The app's last resort: known errors keep their code, anything else is a 500 that hides internals. */
export function respondWithError(error: Error, c: Context): Response {
  if (error instanceof SluiceError) {
    return c.json(errorBody(error), error.status as ContentfulStatusCode)
  }
  console.error(
    JSON.stringify({
      level: 'error',
      message: 'Unhandled error',
      method: c.req.method,
      path: c.req.path,
      error: error.stack ?? String(error),
    }),
  )
  return c.json({ error_code: 500, message: 'Internal server error.' }, 500)
}
