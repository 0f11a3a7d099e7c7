import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import pMap from 'p-map'
import type { ProducerStateWrite, ProducerStore, ProducerView } from '../ports/producers.ts'
import {
  MAX_PRODUCER_EPOCH,
  type PartitionSequenceState,
  type ProducerIdentity,
} from '../producer-sequences.ts'
import { batchGetItems } from './batch-get.ts'
import { conditionHeld } from './conditional-write.ts'
import { itemsUnder } from './query-items.ts'

const PRODUCER_ENTRY = 'producer'
const COUNTER_KEY = { producerKey: 'counter', entry: 'producer-id' }
const PARTITION_ENTRY_PREFIX = 'partition/'
/** A producer's state on a partition outlives its last write by a week (Kafka keeps it a day). */
const STATE_LIFETIME_SECONDS = 7 * 24 * 60 * 60
const FENCE_CONCURRENCY = 8

function producerKey(producerId: number): string {
  return `producer/${producerId}`
}

function stateEntry(topicId: string, partition: number): string {
  return `${PARTITION_ENTRY_PREFIX}${topicId}/${partition}`
}

interface StateItem extends PartitionSequenceState {
  readonly entry: string
}

/**
 * The items of a commit that guard and advance a producer's sequences: each
 * partition's state moves from exactly what was read, and when an epoch
 * writes somewhere for the first time, its epoch must still be current.
 */
export function producerCommitItems(
  table: string,
  identity: ProducerIdentity,
  topicId: string,
  writes: readonly ProducerStateWrite[],
  checkEpoch: boolean,
  now: number,
) {
  const key = producerKey(identity.producerId)
  const expiresAt = Math.floor(now / 1000) + STATE_LIFETIME_SECONDS
  const states = writes.map(({ partition, previous, next }) => ({
    Put: {
      TableName: table,
      Item: { producerKey: key, entry: stateEntry(topicId, partition), ...next, expiresAt },
      ...(previous === undefined
        ? { ConditionExpression: 'attribute_not_exists(producerKey)' }
        : {
            ConditionExpression: 'epoch = :epoch AND nextSequence = :next',
            ExpressionAttributeValues: { ':epoch': previous.epoch, ':next': previous.nextSequence },
          }),
    },
  }))
  if (!checkEpoch) return states
  return [
    ...states,
    {
      ConditionCheck: {
        TableName: table,
        Key: { producerKey: key, entry: PRODUCER_ENTRY },
        ConditionExpression: 'epoch = :epoch',
        ExpressionAttributeValues: { ':epoch': identity.epoch },
      },
    },
  ]
}

/**
 * The producers table. Ids come from an atomic counter; a transactional id
 * keeps its producer id across sessions, and each new session of it gets the
 * next epoch and fences the older ones.
 */
export class DynamoDbProducerStore implements ProducerStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async initProducer(transactionalId?: string, now = Date.now()): Promise<ProducerIdentity> {
    if (transactionalId === undefined) return this.create(undefined, now)
    const transactionalKey = {
      producerKey: `transactional/${transactionalId}`,
      entry: PRODUCER_ENTRY,
    }
    for (;;) {
      const { Item } = await this.documents.send(
        new GetCommand({ TableName: this.table, Key: transactionalKey, ConsistentRead: true }),
      )
      if (Item === undefined) {
        const identity = await this.create(transactionalId, now)
        // The SDK resends a put whose answer was lost: finding its own claim is success.
        const claimed = await conditionHeld(() =>
          this.documents.send(
            new PutCommand({
              TableName: this.table,
              Item: { ...transactionalKey, producerId: identity.producerId, createdAt: now },
              ConditionExpression: 'attribute_not_exists(producerKey) OR producerId = :id',
              ExpressionAttributeValues: { ':id': identity.producerId },
            }),
          ),
        )
        // Another session claimed the id first: become its next epoch instead.
        if (claimed) return identity
        continue
      }
      const producerId = Item.producerId as number
      const epoch = await this.bumpEpoch(producerId)
      if (epoch !== undefined) {
        await this.fence(producerId)
        return { producerId, epoch }
      }
      // Epochs ran out (int16): the transactional id moves to a fresh producer id.
      const identity = await this.create(transactionalId, now)
      const moved = await conditionHeld(() =>
        this.documents.send(
          new UpdateCommand({
            TableName: this.table,
            Key: transactionalKey,
            UpdateExpression: 'SET producerId = :new',
            ConditionExpression: 'producerId IN (:old, :new)',
            ExpressionAttributeValues: { ':new': identity.producerId, ':old': producerId },
          }),
        ),
      )
      if (moved) {
        await this.fence(producerId)
        return identity
      }
    }
  }

  async view(
    producerId: number,
    topicId: string,
    partitions: readonly number[],
  ): Promise<ProducerView> {
    const key = producerKey(producerId)
    const byEntry = new Map(partitions.map((p) => [stateEntry(topicId, p), p]))
    const keys = [PRODUCER_ENTRY, ...byEntry.keys()].map((entry) => ({ producerKey: key, entry }))
    let epoch: number | undefined
    const states = new Map<number, PartitionSequenceState>()
    for (const item of await batchGetItems(this.documents, this.table, keys)) {
      const { entry, epoch: itemEpoch, nextSequence, batches } = item as StateItem
      if (entry === PRODUCER_ENTRY) epoch = itemEpoch
      const partition = byEntry.get(entry)
      if (partition !== undefined)
        states.set(partition, { epoch: itemEpoch, nextSequence, batches })
    }
    return { epoch, states }
  }

  private async create(
    transactionalId: string | undefined,
    now: number,
  ): Promise<ProducerIdentity> {
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: COUNTER_KEY,
        UpdateExpression: 'ADD nextId :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    )
    const producerId = (Attributes?.nextId as number) - 1
    // The counter hands each id out once, so nothing else writes this item: the
    // put needs no condition, and the SDK may resend it after a lost answer.
    await this.documents.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          producerKey: producerKey(producerId),
          entry: PRODUCER_ENTRY,
          epoch: 0,
          createdAt: now,
          ...(transactionalId !== undefined && { transactionalId }),
        },
      }),
    )
    return { producerId, epoch: 0 }
  }

  /** The producer's next epoch, or undefined when it is at the last one. */
  private async bumpEpoch(producerId: number): Promise<number | undefined> {
    let epoch: number | undefined
    await conditionHeld(async () => {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { producerKey: producerKey(producerId), entry: PRODUCER_ENTRY },
          UpdateExpression: 'ADD epoch :one',
          ConditionExpression: 'epoch < :max',
          ExpressionAttributeValues: { ':one': 1, ':max': MAX_PRODUCER_EPOCH },
          ReturnValues: 'UPDATED_NEW',
        }),
      )
      epoch = Attributes?.epoch as number
    })
    return epoch
  }

  /**
   * Forgets the producer's state on every partition. An older epoch's commit
   * is conditioned on the state it read, so it fails and then finds its epoch
   * fenced; a first write anywhere is conditioned on the epoch itself.
   */
  private async fence(producerId: number): Promise<void> {
    const key = producerKey(producerId)
    const entries: string[] = []
    for await (const item of itemsUnder(this.documents, this.table, { producerKey: key })) {
      if ((item.entry as string).startsWith(PARTITION_ENTRY_PREFIX)) entries.push(item.entry)
    }
    await pMap(
      entries,
      (entry) =>
        this.documents.send(
          new DeleteCommand({ TableName: this.table, Key: { producerKey: key, entry } }),
        ),
      { concurrency: FENCE_CONCURRENCY },
    )
  }
}
