import { describe, expect, it } from 'vitest'
import {
  formatApiKey,
  newApiKey,
  parseApiKey,
  secretHash,
  secretMatches,
} from '../../../lib/auth/api-key.ts'
import { authModeFromEnv } from '../../../lib/auth/auth-mode.ts'
import { operationOf } from '../../../lib/observability/request-metrics.ts'

describe('API key format', () => {
  it('round-trips and carries 256 bits of secret', () => {
    const key = newApiKey()
    expect(parseApiKey(formatApiKey(key))).toEqual(key)
    expect(Buffer.from(key.secret, 'base64url')).toHaveLength(32)
    expect(newApiKey().keyId).not.toBe(key.keyId)
  })

  it('rejects text that is not a Sluice key', () => {
    const good = formatApiKey(newApiKey())
    for (const text of ['', 'sluice', `${good}x`, good.replace('sluice_', 'sluicE_'), ` ${good}`]) {
      expect(parseApiKey(text), text).toBeUndefined()
    }
  })

  it('matches a secret only against its own hash', () => {
    const { secret } = newApiKey()
    expect(secretMatches(secret, secretHash(secret))).toBe(true)
    expect(secretMatches(newApiKey().secret, secretHash(secret))).toBe(false)
    expect(secretMatches(secret, 'abcd')).toBe(false)
  })
})

describe('authModeFromEnv', () => {
  it('has no default: an unset or unknown mode stops the handler from starting', () => {
    expect(authModeFromEnv({ SLUICE_AUTH_MODE: 'iam' })).toBe('iam')
    expect(authModeFromEnv({ SLUICE_AUTH_MODE: 'api-key' })).toBe('api-key')
    expect(() => authModeFromEnv({})).toThrow(/SLUICE_AUTH_MODE must be one of iam, api-key/)
    expect(() => authModeFromEnv({ SLUICE_AUTH_MODE: 'none' })).toThrow(/got 'none'/)
  })
})

describe('operationOf', () => {
  it('puts each request on its dashboard line', () => {
    const C = '/v3/clusters/c/topics/t'
    expect(operationOf('POST', `${C}/records`)).toBe('produce')
    expect(operationOf('POST', `${C}/records:batch`)).toBe('produce')
    expect(operationOf('POST', '/topics/t')).toBe('produce')
    expect(operationOf('POST', '/topics/t/partitions/0')).toBe('produce')
    expect(operationOf('GET', `${C}/partitions/0/records`)).toBe('read')
    expect(operationOf('GET', '/consumers/g/instances/i/records')).toBe('read')
    expect(operationOf('POST', '/v3/clusters/c/topics')).toBe('admin')
    expect(operationOf('GET', '/topics/t')).toBe('admin')
    expect(operationOf('POST', '/consumers/g/instances/i/offsets')).toBe('admin')
  })
})
