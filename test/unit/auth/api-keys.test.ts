import { describe, expect, it } from 'vitest'
import { parseApiKey, secretHash } from '../../../lib/auth/api-key.ts'
import { ApiKeys } from '../../../lib/auth/api-keys.ts'
import { MemoryApiKeyStore } from '../../../lib/storage/memory/api-keys.ts'

function memoryKeys() {
  const store = new MemoryApiKeyStore()
  return { store, keys: new ApiKeys(store) }
}

describe('API keys on the memory engine', () => {
  it('are issued once: the store holds the hash of the secret, never the secret', async () => {
    const { store, keys } = memoryKeys()
    const { record, apiKey } = await keys.issue('billing', 1_000)
    const key = parseApiKey(apiKey)
    expect(key?.keyId).toBe(record.keyId)
    const stored = await store.get(record.keyId)
    expect(stored).toEqual({
      keyId: record.keyId,
      secretHash: secretHash(key?.secret ?? ''),
      name: 'billing',
      createdAt: 1_000,
    })
    expect(JSON.stringify(stored)).not.toContain(key?.secret)
  })

  it('are live until revoked; a forged secret or an unknown id never is', async () => {
    const { keys } = memoryKeys()
    const { record, apiKey } = await keys.issue('producer', 1)
    const key = parseApiKey(apiKey)
    if (!key) throw new Error(`issued an unparseable key: ${apiKey}`)
    expect(await keys.isLive(key)).toBe(true)
    expect(await keys.isLive({ ...key, secret: 'A'.repeat(43) })).toBe(false)
    expect(await keys.isLive({ ...key, keyId: '0123456789abcdef' })).toBe(false)
    expect(await keys.revoke(record.keyId)).toBe(true)
    expect(await keys.isLive(key)).toBe(false)
    expect(await keys.revoke(record.keyId)).toBe(false)
  })

  it('are listed oldest first, ties in key id order', async () => {
    const { keys } = memoryKeys()
    const issued = []
    for (const [name, createdAt] of [
      ['late', 30],
      ['early', 10],
      ['tie one', 20],
      ['tie two', 20],
    ] as const) {
      issued.push((await keys.issue(name, createdAt)).record)
    }
    const ties = issued.filter((record) => record.createdAt === 20)
    ties.sort((a, b) => a.keyId.localeCompare(b.keyId))
    expect((await keys.list()).map((record) => record.keyId)).toEqual(
      [issued[1], ...ties, issued[0]].map((record) => record?.keyId),
    )
  })
})
