import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * An API key is `sluice_<id>_<secret>`: the id is public and names the key
 * (to list and revoke it); the secret is 256 random bits and is shown once.
 * Only the SHA-256 of the secret is stored. A slow password hash would add
 * nothing: with 256 bits of entropy the secret cannot be guessed from its hash.
 * The fixed prefix lets secret scanners recognise a leaked key.
 */
const API_KEY_PATTERN = /^sluice_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/

export interface ApiKey {
  readonly keyId: string
  readonly secret: string
}

export function newApiKey(): ApiKey {
  return {
    keyId: randomBytes(8).toString('hex'),
    secret: randomBytes(32).toString('base64url'),
  }
}

/** The text a client sends. */
export function formatApiKey({ keyId, secret }: ApiKey): string {
  return `sluice_${keyId}_${secret}`
}

/** The key a client sent, or undefined when the text cannot be a Sluice API key. */
export function parseApiKey(text: string): ApiKey | undefined {
  const match = API_KEY_PATTERN.exec(text)
  return match?.[1] && match[2] ? { keyId: match[1], secret: match[2] } : undefined
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** Compares in constant time, so response timing reveals nothing about the stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(secretHash(secret), 'hex')
  const expected = Buffer.from(storedHash, 'hex')
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
