import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { InvalidPartitionsError, TopicExistsError, TopicNotFoundError } from '../errors.ts'
import { conditionalWrite } from './conditional-write.ts'

/** A topic as stored: its configs hold only the values set on the topic, not defaults. */
export interface TopicItem {
  readonly name: string
  /** Changes when a topic is deleted and re-created, so old data never resurfaces. */
  readonly topicId: string
  readonly partitionsCount: number
  readonly configs: Readonly<Record<string, string>>
  readonly createdAt: number
}

export interface ConfigChanges {
  readonly set: Readonly<Record<string, string>>
  readonly remove: readonly string[]
}

export class TopicTable {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(topic: TopicItem): Promise<void> {
    await conditionalWrite(
      () =>
        this.documents.send(
          new PutCommand({
            TableName: this.table,
            Item: topic,
            ConditionExpression: 'attribute_not_exists(#name)',
            ExpressionAttributeNames: { '#name': 'name' },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      async () => new TopicExistsError(topic.name),
      // Topic ids are fresh for every create: only this one wrote this id.
      (current) => current?.topicId === topic.topicId,
    )
  }

  async get(name: string): Promise<TopicItem | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.table, Key: { name }, ConsistentRead: true }),
    )
    return Item as TopicItem | undefined
  }

  async list(): Promise<TopicItem[]> {
    const topics: TopicItem[] = []
    const pages = paginateScan(
      { client: this.documents },
      { TableName: this.table, ConsistentRead: true },
    )
    for await (const page of pages) topics.push(...((page.Items ?? []) as TopicItem[]))
    return topics.sort((a, b) => a.name.localeCompare(b.name))
  }

  async delete(topic: TopicItem): Promise<void> {
    await conditionalWrite(
      () =>
        this.documents.send(
          new DeleteCommand({
            TableName: this.table,
            Key: { name: topic.name },
            ConditionExpression: 'topicId = :topicId',
            ExpressionAttributeValues: { ':topicId': topic.topicId },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      async () => new TopicNotFoundError(topic.name),
      // The topic is gone (or its name taken anew) after an attempt that may have deleted it.
      (current) => current?.topicId !== topic.topicId,
    )
  }

  /** Raises the partition count; the condition makes a lost race with another change fail. */
  async increasePartitions(topic: TopicItem, partitionsCount: number): Promise<void> {
    await conditionalWrite(
      () =>
        this.documents.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { name: topic.name },
            UpdateExpression: 'SET partitionsCount = :count',
            ConditionExpression: 'topicId = :topicId AND partitionsCount < :count',
            ExpressionAttributeValues: { ':topicId': topic.topicId, ':count': partitionsCount },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      async () => {
        const current = await this.get(topic.name)
        if (current?.topicId !== topic.topicId) return new TopicNotFoundError(topic.name)
        return new InvalidPartitionsError(
          `Topic '${topic.name}' already has ${current.partitionsCount} partitions; the count can only grow.`,
        )
      },
      (current) =>
        current?.topicId === topic.topicId && current.partitionsCount === partitionsCount,
    )
  }

  async alterConfigs(topic: TopicItem, changes: ConfigChanges): Promise<void> {
    const names: Record<string, string> = {}
    const values: Record<string, unknown> = { ':topicId': topic.topicId }
    const sets: string[] = []
    const removes: string[] = []
    Object.entries(changes.set).forEach(([config, value], i) => {
      names[`#s${i}`] = config
      values[`:s${i}`] = value
      sets.push(`configs.#s${i} = :s${i}`)
    })
    changes.remove.forEach((config, i) => {
      names[`#r${i}`] = config
      removes.push(`configs.#r${i}`)
    })
    if (sets.length === 0 && removes.length === 0) return
    const clauses = [
      sets.length > 0 ? `SET ${sets.join(', ')}` : '',
      removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
    ]
    await conditionalWrite(
      () =>
        this.documents.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { name: topic.name },
            UpdateExpression: clauses.join(' ').trim(),
            ConditionExpression: 'topicId = :topicId',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      async () => new TopicNotFoundError(topic.name),
    )
  }
}
