/**
 * SASL/PLAIN with Sluice's API keys: the username is the key id, the password
 * the whole key (`sluice_<id>_<secret>`), as `sluice api-keys create` prints
 * it. Until a connection authenticates it may only ask ApiVersions and the
 * two SASL requests; anything else, or a failed attempt, closes it, as
 * Kafka's brokers do.
 */
import { parseApiKey } from '../../auth/api-key.ts'
import type { ApiKeys } from '../../auth/api-keys.ts'
import { ErrorCode } from '../protocol/error-codes.ts'
import type { SaslAuthenticateRequest } from '../protocol/messages/sasl-authenticate-request.ts'
import type { SaslAuthenticateResponse } from '../protocol/messages/sasl-authenticate-response.ts'
import type { SaslHandshakeRequest } from '../protocol/messages/sasl-handshake-request.ts'
import type { SaslHandshakeResponse } from '../protocol/messages/sasl-handshake-response.ts'

export const PLAIN = 'PLAIN'

/** Checks an API key the client presented; true when it is live. */
export type ApiKeyCheck = (apiKey: string) => Promise<boolean>

export type SaslState = 'start' | 'handshaken' | 'authenticated'

/** The check against the API keys the HTTP API accepts too. */
export function apiKeyCheck(keys: ApiKeys): ApiKeyCheck {
  return async (text) => {
    const key = parseApiKey(text)
    return key !== undefined && (await keys.isLive(key))
  }
}

export function saslHandshake(request: SaslHandshakeRequest): {
  readonly response: SaslHandshakeResponse
  readonly accepted: boolean
} {
  const accepted = request.mechanism === PLAIN
  return {
    accepted,
    response: {
      errorCode: accepted ? ErrorCode.NONE : ErrorCode.UNSUPPORTED_SASL_MECHANISM,
      mechanisms: [PLAIN],
    },
  }
}

/** PLAIN's message: [authzid] NUL authcid NUL passwd (RFC 4616). */
function plainCredentials(bytes: Uint8Array): { username: string; password: string } | undefined {
  const parts = Buffer.from(bytes).toString('utf8').split('\0')
  if (parts.length !== 3) return undefined
  const [authorizationId, username, password] = parts as [string, string, string]
  if (authorizationId !== '' && authorizationId !== username) return undefined
  return { username, password }
}

export async function saslAuthenticate(
  request: SaslAuthenticateRequest,
  check: ApiKeyCheck,
): Promise<{ readonly response: SaslAuthenticateResponse; readonly authenticated: boolean }> {
  const credentials = plainCredentials(request.authBytes)
  const key = credentials && parseApiKey(credentials.password)
  const authenticated =
    key !== undefined && credentials?.username === key.keyId && (await check(credentials.password))
  return {
    authenticated,
    response: {
      errorCode: authenticated ? ErrorCode.NONE : ErrorCode.SASL_AUTHENTICATION_FAILED,
      // One message for every failure: it must not reveal which key ids exist.
      errorMessage: authenticated
        ? null
        : 'Authentication failed: the username must be an API key id and the password that live API key.',
      authBytes: new Uint8Array(0),
      sessionLifetimeMs: 0,
    },
  }
}
