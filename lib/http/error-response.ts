import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ServiceError, SluiceError } from '../errors.ts'
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
 * How an error answers: known errors keep their code (storage failures have
 * the Confluent storage codes), anything else is a 500 that hides internals.
 * The logs keep what clients do not see: the engine's own error behind a
 * storage failure, and any unknown error.
 */
export function errorResponse(error: unknown, c: Context): ErrorReply {
  if (error instanceof ServiceError && error.cause !== undefined) {
    logFailure(c, 'Storage request failed', error.cause)
  }
  if (error instanceof SluiceError) return errorReply(error)
  logFailure(c, 'Unhandled error', error)
  return { status: 500, body: { error_code: 500, message: 'Internal server error.' } }
}

function logFailure(c: Context, message: string, error: unknown): void {
  const logged = {
    level: 'error',
    method: c.req.method,
    path: c.req.path,
    error: error instanceof Error ? (error.stack ?? String(error)) : String(error),
  }
  console.error(JSON.stringify({ ...logged, message }))
}

/** The app's last resort for errors thrown by handlers. */
export function respondWithError(error: Error, c: Context): Response {
  const { status, body } = errorResponse(error, c)
  return c.json(body, status)
}
