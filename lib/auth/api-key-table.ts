import { isDeepStrictEqual } from 'node:util'
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
} from '@aws-sdk/lib-dynamodb'
import type { AwsClients } from '../storage/aws-clients.ts'
import { conditionalWrite, conditionHeld } from '../storage/conditional-write.ts'
import type { StorageNames } from '../storage/tables.ts'
import { type ApiKey, formatApiKey, newApiKey, secretHash, secretMatches } from './api-key.ts'

/** A stored API key: who it is for and the hash of its secret, never the secret. */
export interface ApiKeyItem {
  readonly keyId: string
  readonly secretHash: string
  /** What the key is for, as given when it was issued. */
  readonly name: string
  readonly createdAt: number
}

export class ApiKeyIdTakenError extends Error {
  override name = 'ApiKeyIdTakenError'
  constructor(readonly keyId: string) {
    super(`API key id ${keyId} is already taken.`)
  }
}

/** The api-keys table (lib/storage/tables.ts). */
export class ApiKeyTable {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The deployment's table, on these clients. */
  static of(clients: AwsClients, names: StorageNames): ApiKeyTable {
    return new ApiKeyTable(DynamoDBDocumentClient.from(clients.dynamodb), names.tables.apiKeys)
  }

  async create(item: ApiKeyItem): Promise<void> {
    await conditionalWrite(
      () =>
        this.documents.send(
          new PutCommand({
            TableName: this.table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(keyId)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      () => new ApiKeyIdTakenError(item.keyId),
      (current) => isDeepStrictEqual(current, item),
    )
  }

  /** Issues a new key for `name`: its hash is stored, the key itself only returned. */
  async issue(name: string, createdAt: number): Promise<{ item: ApiKeyItem; apiKey: string }> {
    const key = newApiKey()
    const item = { keyId: key.keyId, secretHash: secretHash(key.secret), name, createdAt }
    await this.create(item)
    return { item, apiKey: formatApiKey(key) }
  }

  /** Whether a key is known and not revoked; the HTTP API and the Kafka gateway's SASL/PLAIN both ask. */
  async isLive(key: ApiKey): Promise<boolean> {
    const stored = await this.get(key.keyId)
    return stored !== undefined && secretMatches(key.secret, stored.secretHash)
  }

  /** Strongly consistent, so a revoked key stops working at once. */
  async get(keyId: string): Promise<ApiKeyItem | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.table, Key: { keyId }, ConsistentRead: true }),
    )
    return Item as ApiKeyItem | undefined
  }

  async list(): Promise<ApiKeyItem[]> {
    const items: ApiKeyItem[] = []
    for await (const page of paginateScan(
      { client: this.documents },
      { TableName: this.table, ConsistentRead: true },
    )) {
      items.push(...((page.Items ?? []) as ApiKeyItem[]))
    }
    return items.sort((a, b) => a.createdAt - b.createdAt || a.keyId.localeCompare(b.keyId))
  }

  /** Deletes the key; false when there was no such key. */
  async delete(keyId: string): Promise<boolean> {
    return conditionHeld(
      () =>
        this.documents.send(
          new DeleteCommand({
            TableName: this.table,
            Key: { keyId },
            ConditionExpression: 'attribute_exists(keyId)',
          }),
        ),
      // The key is gone after an attempt that may have deleted it: revoked either way.
      (current) => current === undefined,
    )
  }
}
