import { ApiKeyIdTakenError, type ApiKeyRecord, type ApiKeyStore } from '../ports/api-keys.ts'

/** API keys held in memory, by key id. */
export class MemoryApiKeyStore implements ApiKeyStore {
  private readonly records = new Map<string, ApiKeyRecord>()

  async create(record: ApiKeyRecord): Promise<void> {
    if (this.records.has(record.keyId)) throw new ApiKeyIdTakenError(record.keyId)
    this.records.set(record.keyId, structuredClone(record))
  }

  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    return structuredClone(this.records.get(keyId))
  }

  async list(): Promise<ApiKeyRecord[]> {
    return structuredClone([...this.records.values()])
  }

  async delete(keyId: string): Promise<boolean> {
    return this.records.delete(keyId)
  }
}
