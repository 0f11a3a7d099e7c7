import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { SluiceError } from '../errors.ts'
import { storageErrorFor } from '../storage/storage-errors.ts'
import { confluentCode, statusOf } from './confluent-codes.ts'

export interface ErrorBody {
  readonly error_code: number
  readonly message: string
}

export interface ErrorReply {
  readonly status: ContentfulStatusCode
  readonly body: ErrorBody
}

/** A known error's answer: its Confluent code, and the HTTP status that code gives. */
export function errorReply(error: SluiceError): ErrorReply {
  const code = confluentCode(error)
  return {
    status: statusOf(code) as ContentfulStatusCode,
    body: { error_code: code, message: error.message },
  }
}

/**
 * How an error answers: known errors keep their code, storage failures get the
 * Confluent storage codes, anything else is a 500 that hides internals.
 */
export function errorResponse(error: unknown, c: Context): ErrorReply {
  if (error instanceof SluiceError) return errorReply(error)
  const logged = {
    level: 'error',
    method: c.req.method,
    path: c.req.path,
    error: error instanceof Error ? (error.stack ?? String(error)) : String(error),
  }
  const storage = storageErrorFor(error)
  if (storage) {
    console.error(JSON.stringify({ ...logged, message: 'Storage request failed' }))
    return errorReply(storage)
  }
  console.error(JSON.stringify({ ...logged, message: 'Unhandled error' }))
  return { status: 500, body: { error_code: 500, message: 'Internal server error.' } }
}

/** The app's last resort for errors thrown by handlers. */
export function respondWithError(error: Error, c: Context): Response {
  const { status, body } = errorResponse(error, c)
  return c.json(body, status)
}
