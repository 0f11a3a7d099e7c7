import { isDeepStrictEqual } from 'node:util'
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
} from '@aws-sdk/lib-dynamodb'
import { ConsumerInstanceExistsError } from '../../groups/errors.ts'
import {
  InstanceConflictError,
  type InstanceId,
  type InstanceRecord,
  type InstanceStore,
} from '../ports/consumer-instances.ts'
import { conditionalWrite } from './conditional-write.ts'

/** The consumer instances table, keyed by (group, instance), with DynamoDB TTL removing idle ones. */
export class DynamoDbInstanceStore implements InstanceStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(instance: InstanceRecord): Promise<void> {
    const item = this.item(instance)
    await conditionalWrite(
      () =>
        this.documents.send(
          new PutCommand({
            TableName: this.table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(instanceId) OR idleDeadline < :now',
            ExpressionAttributeValues: { ':now': instance.createdAt },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      () => new ConsumerInstanceExistsError(instance.groupId, instance.instanceId),
      (current) => isDeepStrictEqual(current, item),
    )
  }

  async get({ groupId, instanceId }: InstanceId): Promise<InstanceRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.table, Key: { groupId, instanceId }, ConsistentRead: true }),
    )
    if (!Item) return undefined
    const { expiresAt: _ttl, ...instance } = Item
    return instance as InstanceRecord
  }

  async save(instance: InstanceRecord): Promise<InstanceRecord> {
    const next = { ...instance, version: instance.version + 1 }
    await this.conditional(() =>
      this.documents.send(
        new PutCommand({
          TableName: this.table,
          Item: this.item(next),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': instance.version },
        }),
      ),
    )
    return next
  }

  async delete(instance: InstanceRecord): Promise<void> {
    await this.conditional(() =>
      this.documents.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { groupId: instance.groupId, instanceId: instance.instanceId },
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': instance.version },
        }),
      ),
    )
  }

  /** A scan: DynamoDB's TTL removes idle instances only eventually, so some are still here. */
  async idle(now: number): Promise<InstanceId[]> {
    const found: InstanceId[] = []
    const pages = paginateScan(
      { client: this.documents },
      {
        TableName: this.table,
        FilterExpression: 'idleDeadline < :now',
        ProjectionExpression: 'groupId, instanceId',
        ExpressionAttributeValues: { ':now': now },
      },
    )
    for await (const page of pages) found.push(...((page.Items ?? []) as InstanceId[]))
    return found
  }

  /** The stored form: TTL wants epoch seconds, and removal may lag, so reads check idleDeadline too. */
  private item(instance: InstanceRecord) {
    return { ...instance, expiresAt: Math.ceil(instance.idleDeadline / 1000) }
  }

  private async conditional(write: () => Promise<unknown>): Promise<void> {
    await conditionalWrite(
      write,
      () => new InstanceConflictError('The consumer instance changed since it was read'),
    )
  }
}
