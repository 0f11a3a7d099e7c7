import { isDeepStrictEqual } from 'node:util'
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
} from '@aws-sdk/lib-dynamodb'
import type { AssignorName } from '../../../groups/assignors/assignors.ts'
import { ConsumerInstanceExistsError } from '../../../groups/errors.ts'
import type { AutoOffsetReset } from '../../../groups/offset-reset.ts'
import type { Subscription } from '../../../groups/subscription.ts'
import type { PartitionKey } from '../../../groups/topic-partitions.ts'
import { conditionalWrite } from '../../../storage/conditional-write.ts'

/** How an instance gets partitions: not at all yet, from its group, or by naming them itself. */
export type InstanceMode =
  | { readonly kind: 'idle' }
  | {
      readonly kind: 'subscribed'
      readonly subscription: Subscription
      /** The epoch the coordinator last gave the instance's member. */
      readonly memberEpoch: number
    }
  | { readonly kind: 'assigned' }

/** Where an instance reads a partition next, and in which incarnation of the topic. */
export interface Position {
  readonly offset: number
  readonly topicId: string
}

/** What an instance is created with and keeps for its life. */
export interface InstanceSettings {
  /** The embedded format records are returned in; the HTTP layer knows the names. */
  readonly format: string
  readonly autoOffsetReset: AutoOffsetReset
  readonly autoCommit: boolean
  readonly sessionTimeoutMs?: number
  readonly assignor?: AssignorName
}

/** A REST Proxy v2 consumer instance, all of it in DynamoDB, so any node serves any call. */
export interface InstanceRecord extends InstanceSettings {
  readonly groupId: string
  readonly instanceId: string
  /** The instance's member id in its group, fixed for its life. */
  readonly memberId: string
  readonly mode: InstanceMode
  /** The partitions the instance holds: its own assignment, or what its group last gave it. */
  readonly partitions: readonly PartitionKey[]
  /** The next offset to read in held partitions; a partition without one starts from its committed offset. */
  readonly positions: Readonly<Record<PartitionKey, Position>>
  readonly lastAutoCommitAt: number
  /** Epoch milliseconds after which the unused instance is gone. */
  readonly idleDeadline: number
  /** Bumped by every write; every write is conditioned on it. */
  readonly version: number
  readonly createdAt: number
}

export interface InstanceId {
  readonly groupId: string
  readonly instanceId: string
}

/** The instance changed since it was read; nothing was written. */
export class InstanceConflictError extends Error {
  override name = 'InstanceConflictError'
}

/** The consumer instances table, keyed by (group, instance), with DynamoDB TTL removing idle ones. */
export class InstanceStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Creates the instance unless a live one has the name; an expired one is replaced. */
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

  /** Writes `instance` with the next version, if the stored one is still `instance.version`. */
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

  /** Instances nobody used before `now`, which DynamoDB's TTL may not have removed yet. */
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
