import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
} from '@aws-sdk/lib-dynamodb'
import type { CompatibilityLevel } from '../../registry/compatibility-levels.ts'
import { emptySubject, type Subject, type SubjectVersion } from '../../registry/subject.ts'
import type { SubjectStore } from '../ports/subjects.ts'

interface SubjectItem {
  readonly subject: string
  readonly versions: readonly SubjectVersion[]
  readonly compatibility?: CompatibilityLevel
  readonly revision: number
}

function fromItem(item: SubjectItem): Subject {
  return {
    name: item.subject,
    versions: item.versions,
    ...(item.compatibility !== undefined && { compatibility: item.compatibility }),
    revision: item.revision,
  }
}

/** The subjects table: one item per subject, changed only by writes conditioned on its revision. */
export class DynamoDbSubjectStore implements SubjectStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(name: string): Promise<Subject> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.table, Key: { subject: name }, ConsistentRead: true }),
    )
    return Item ? fromItem(Item as SubjectItem) : emptySubject(name)
  }

  async list(): Promise<Subject[]> {
    const subjects: Subject[] = []
    const pages = paginateScan(
      { client: this.documents },
      { TableName: this.table, ConsistentRead: true },
    )
    for await (const page of pages) {
      subjects.push(...((page.Items ?? []) as SubjectItem[]).map(fromItem))
    }
    return subjects
  }

  async replace(current: Subject, next: Omit<Subject, 'revision'>): Promise<boolean> {
    const expectation =
      current.revision === 0
        ? { ConditionExpression: 'attribute_not_exists(subject)' }
        : {
            ConditionExpression: 'revision = :revision',
            ExpressionAttributeValues: { ':revision': current.revision },
          }
    const empty = next.versions.length === 0 && next.compatibility === undefined
    try {
      if (empty && current.revision === 0) return true
      if (empty) {
        await this.documents.send(
          new DeleteCommand({
            TableName: this.table,
            Key: { subject: current.name },
            ...expectation,
          }),
        )
      } else {
        const item: SubjectItem = {
          subject: current.name,
          versions: next.versions,
          ...(next.compatibility !== undefined && { compatibility: next.compatibility }),
          revision: current.revision + 1,
        }
        await this.documents.send(
          new PutCommand({ TableName: this.table, Item: item, ...expectation }),
        )
      }
      return true
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false
      throw error
    }
  }
}
