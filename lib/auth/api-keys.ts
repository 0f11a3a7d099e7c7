import type { ApiKeyRecord, ApiKeyStore } from '../storage/ports/api-keys.ts'
import { type ApiKey, formatApiKey, newApiKey, secretHash, secretMatches } from './api-key.ts'

/**
 * The API keys a deployment accepts: issued, checked and revoked here, kept
 * in a store that only ever sees the hash of a key's secret.
 */
export class ApiKeys {
  constructor(private readonly store: ApiKeyStore) {}

  /** Issues a new key for `name`: its hash is stored, the key itself only returned. */
  async issue(name: string, createdAt: number): Promise<{ record: ApiKeyRecord; apiKey: string }> {
    const key = newApiKey()
    const record = { keyId: key.keyId, secretHash: secretHash(key.secret), name, createdAt }
    await this.store.create(record)
    return { record, apiKey: formatApiKey(key) }
  }

  /** Whether a key is known and not revoked; the HTTP API and the Kafka gateway's SASL/PLAIN both ask. */
  async isLive(key: ApiKey): Promise<boolean> {
    const stored = await this.store.get(key.keyId)
    return stored !== undefined && secretMatches(key.secret, stored.secretHash)
  }

  /** The keys that work now, oldest first. */
  async list(): Promise<ApiKeyRecord[]> {
    const records = await this.store.list()
    return records.sort((a, b) => a.createdAt - b.createdAt || a.keyId.localeCompare(b.keyId))
  }

  /** Stops the key from working at once; false when there was no such key. */
  revoke(keyId: string): Promise<boolean> {
    return this.store.delete(keyId)
  }
}
