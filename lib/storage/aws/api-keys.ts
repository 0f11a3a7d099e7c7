import { isDeepStrictEqual } from 'node:util'
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
} from '@aws-sdk/lib-dynamodb'
import { ApiKeyIdTakenError, type ApiKeyRecord, type ApiKeyStore } from '../ports/api-keys.ts'
import { conditionalWrite, conditionHeld } from './conditional-write.ts'

/** The api-keys table (lib/storage/tables.ts): one item per key, under its id. */
export class DynamoDbApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(record: ApiKeyRecord): Promise<void> {
    await conditionalWrite(
      () =>
        this.documents.send(
          new PutCommand({
            TableName: this.table,
            Item: record,
            ConditionExpression: 'attribute_not_exists(keyId)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      () => new ApiKeyIdTakenError(record.keyId),
      (current) => isDeepStrictEqual(current, record),
    )
  }

  /** Strongly consistent, so a revoked key stops working at once. */
  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.table, Key: { keyId }, ConsistentRead: true }),
    )
    return Item as ApiKeyRecord | undefined
  }

  async list(): Promise<ApiKeyRecord[]> {
    const records: ApiKeyRecord[] = []
    for await (const page of paginateScan(
      { client: this.documents },
      { TableName: this.table, ConsistentRead: true },
    )) {
      records.push(...((page.Items ?? []) as ApiKeyRecord[]))
    }
    return records
  }

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
