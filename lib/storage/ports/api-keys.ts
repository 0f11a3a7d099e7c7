/** A stored API key: who it is for and the hash of its secret, never the secret. */
export interface ApiKeyRecord {
  readonly keyId: string
  readonly secretHash: string
  /** What the key is for, as given when it was issued. */
  readonly name: string
  readonly createdAt: number
}

export class ApiKeyIdTakenError extends Error {
  override readonly name = 'ApiKeyIdTakenError'
  constructor(readonly keyId: string) {
    super(`API key id ${keyId} is already taken.`)
  }
}

/** The API keys a deployment accepts, by key id. Hashing is the caller's: records arrive hashed. */
export interface ApiKeyStore {
  /** Stores a new key; ApiKeyIdTakenError when a key with its id is stored already. */
  create(record: ApiKeyRecord): Promise<void>

  /** Reads the latest write, so a revoked key stops working at once. */
  get(keyId: string): Promise<ApiKeyRecord | undefined>

  /** Every stored key, in no particular order. */
  list(): Promise<ApiKeyRecord[]>

  /** Deletes the key; false when there was no such key. */
  delete(keyId: string): Promise<boolean>
}
