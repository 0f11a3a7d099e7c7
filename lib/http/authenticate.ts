import type { MiddlewareHandler } from 'hono'
import { parseApiKey } from '../auth/api-key.ts'
import type { ApiKeys } from '../auth/api-keys.ts'
import { UnauthenticatedError } from '../errors.ts'

const BEARER = /^Bearer\s+(\S+)\s*$/i

/** Accepts requests bearing a live API key: `Authorization: Bearer sluice_<id>_<secret>`. */
export function apiKeyAuthentication(keys: ApiKeys): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization')
    if (header === undefined) {
      throw new UnauthenticatedError(
        'Authentication required: send an API key as Authorization: Bearer <key>.',
      )
    }
    const token = BEARER.exec(header)?.[1]
    const key = token === undefined ? undefined : parseApiKey(token)
    if (key === undefined) {
      throw new UnauthenticatedError(
        'The Authorization header does not hold a Sluice API key (Bearer sluice_<id>_<secret>).',
      )
    }
    // One message for both: the answer must not reveal which key ids exist.
    if (!(await keys.isLive(key))) {
      throw new UnauthenticatedError('The API key is not valid: it is unknown or was revoked.')
    }
    await next()
  }
}

/** The part of a Lambda URL or HTTP API (payload 2.0) event that carries the caller's IAM identity. */
interface LambdaBindings {
  readonly requestContext?: {
    readonly authorizer?: { readonly iam?: { readonly userArn?: string } }
  }
}

/**
 * Accepts requests that AWS authenticated with IAM. AWS refuses unsigned
 * requests before the function runs; this check guards against the URL's
 * auth type ever being loosened without the function's mode changing too.
 */
export function iamAuthentication(): MiddlewareHandler {
  return async (c, next) => {
    // hono/aws-lambda passes the event's request context as the app's bindings.
    const bindings = c.env as LambdaBindings | undefined
    if (!bindings?.requestContext?.authorizer?.iam) {
      throw new UnauthenticatedError(
        'Authentication required: sign the request with AWS Signature Version 4.',
      )
    }
    await next()
  }
}
