import type { MiddlewareHandler } from 'hono'
import { ConfigError } from '../../config.ts'
import { UnauthenticatedError } from '../../errors.ts'
import { type ApiKey, parseApiKey, secretMatches } from './api-key.ts'
import type { ApiKeyTable } from './api-key-table.ts'

/**
 * How the deployed API authenticates. `iam`: AWS checks a SigV4 signature
 * before the function runs. `api-key`: the function checks a bearer key
 * against the hashes in the api-keys table. There is deliberately no "none".
 */
export const AUTH_MODES = ['iam', 'api-key'] as const
export type AuthMode = (typeof AUTH_MODES)[number]

export const AUTH_MODE_VARIABLE = 'SLUICE_AUTH_MODE'

function isAuthMode(text: string | undefined): text is AuthMode {
  return AUTH_MODES.some((mode) => mode === text)
}

/** The Lambda handler refuses to start without a mode, so it is never served open. */
export function authModeFromEnv(env: NodeJS.ProcessEnv = process.env): AuthMode {
  const mode = env[AUTH_MODE_VARIABLE]
  if (!isAuthMode(mode)) {
    throw new ConfigError(
      `${AUTH_MODE_VARIABLE} must be one of ${AUTH_MODES.join(', ')}; got '${mode ?? ''}'.`,
    )
  }
  return mode
}

const BEARER = /^Bearer\s+(\S+)\s*$/i

/** Whether a key is known and not revoked; the HTTP API and the Kafka gateway's SASL/PLAIN both ask. */
export async function isLiveApiKey(keys: ApiKeyTable, key: ApiKey): Promise<boolean> {
  const stored = await keys.get(key.keyId)
  return stored !== undefined && secretMatches(key.secret, stored.secretHash)
}

/** Accepts requests bearing a live API key: `Authorization: Bearer sluice_<id>_<secret>`. */
export function apiKeyAuthentication(keys: ApiKeyTable): MiddlewareHandler {
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
    if (!(await isLiveApiKey(keys, key))) {
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
