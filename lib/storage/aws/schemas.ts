import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb'
import { type BackoffPolicy, backoff } from '../../common/backoff.ts'
import { RetriableStorageError } from '../../errors.ts'
import {
  type CompatibilityLevel,
  parseCompatibilityLevel,
} from '../../registry/compatibility-levels.ts'
import type { SchemaType } from '../../registry/schema-types.ts'
import type { NewSchema, SchemaStore, StoredSchema } from '../ports/schemas.ts'

const COUNTER_KEY = 'counter/schema-id'
const GLOBAL_CONFIG_KEY = 'config/global'
const schemaKey = (id: number) => `schema/${id}`
const fingerprintKey = (fingerprint: string) => `fingerprint/${fingerprint}`

/** Position of the fingerprint claim in the id allocation transaction. */
const FINGERPRINT_ITEM = 2

const ALLOCATION_BACKOFF: BackoffPolicy = { baseMs: 5, capMs: 200 }
const ALLOCATION_ATTEMPTS = 50

/**
 * The registry table: schemas by id, the fingerprint that keeps one id per
 * schema, the id counter and the global compatibility level.
 */
export class DynamoDbSchemaStore implements SchemaStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async schema(id: number): Promise<StoredSchema | undefined> {
    const item = await this.get(schemaKey(id))
    return (
      item && {
        id: item.id as number,
        schemaType: item.schemaType as SchemaType,
        schema: item.schema as string,
        fingerprint: item.fingerprint as string,
      }
    )
  }

  async idFor(fingerprint: string): Promise<number | undefined> {
    return (await this.get(fingerprintKey(fingerprint)))?.id as number | undefined
  }

  /**
   * The id of a schema, allocating the next one if the schema has none. The
   * counter moves, the schema is stored and its fingerprint claimed in one
   * transaction, so an id is never given twice or lost: a writer that loses
   * the counter race retries with the next value, and one that loses the
   * fingerprint race takes the id the winner stored.
   */
  async allocate(schema: NewSchema): Promise<number> {
    for (let attempt = 0; attempt < ALLOCATION_ATTEMPTS; attempt++) {
      const counter = await this.get(COUNTER_KEY)
      const id = (counter?.nextId as number | undefined) ?? 1
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.table,
                  Item: { key: COUNTER_KEY, nextId: id + 1 },
                  ConditionExpression: counter ? 'nextId = :id' : 'attribute_not_exists(#key)',
                  ...(counter
                    ? { ExpressionAttributeValues: { ':id': id } }
                    : { ExpressionAttributeNames: { '#key': 'key' } }),
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    key: schemaKey(id),
                    id,
                    schemaType: schema.schemaType,
                    schema: schema.text,
                    fingerprint: schema.fingerprint,
                  },
                  ConditionExpression: 'attribute_not_exists(#key)',
                  ExpressionAttributeNames: { '#key': 'key' },
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: { key: fingerprintKey(schema.fingerprint), id },
                  ConditionExpression: 'attribute_not_exists(#key)',
                  ExpressionAttributeNames: { '#key': 'key' },
                },
              },
            ],
          }),
        )
        return id
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error
        const reasons = error.CancellationReasons ?? []
        if (reasons[FINGERPRINT_ITEM]?.Code === 'ConditionalCheckFailed') {
          const winner = await this.idFor(schema.fingerprint)
          if (winner !== undefined) return winner
        }
        await backoff(attempt, ALLOCATION_BACKOFF)
      }
    }
    throw new RetriableStorageError(
      `Could not allocate a schema id in ${ALLOCATION_ATTEMPTS} attempts: the id counter stayed contended.`,
    )
  }

  async globalCompatibility(): Promise<CompatibilityLevel | undefined> {
    const item = await this.get(GLOBAL_CONFIG_KEY)
    return item ? parseCompatibilityLevel(item.compatibility) : undefined
  }

  async setGlobalCompatibility(level: CompatibilityLevel): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.table,
        Item: { key: GLOBAL_CONFIG_KEY, compatibility: level },
      }),
    )
  }

  async clearGlobalCompatibility(): Promise<void> {
    await this.documents.send(
      new DeleteCommand({ TableName: this.table, Key: { key: GLOBAL_CONFIG_KEY } }),
    )
  }

  private async get(key: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.table, Key: { key }, ConsistentRead: true }),
    )
    return Item
  }
}
