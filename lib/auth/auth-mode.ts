import { ConfigError } from '../config.ts'

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
