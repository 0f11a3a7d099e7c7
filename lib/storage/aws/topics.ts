import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { TopicExistsError, TopicNotFoundError } from '../../errors.ts'
import {
  type ConfigChanges,
  partitionsCannotShrink,
  type TopicItem,
  type TopicStore,
} from '../ports/topics.ts'
import { conditionalWrite } from './conditional-write.ts'

/** The topics table: one item per topic, keyed by name. */
export class DynamoDbTopicStore implements TopicStore {
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
        return partitionsCannotShrink(topic.name, current.partitionsCount)
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
