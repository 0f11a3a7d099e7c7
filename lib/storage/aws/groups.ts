import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb'
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb'
import { emptyGroup, type GroupRecord, type MemberRecord } from '../../groups/group-records.ts'
import type { PartitionKey } from '../../groups/topic-partitions.ts'
import {
  GroupConflictError,
  type GroupStore,
  type GroupWrite,
  type LoadedGroup,
} from '../ports/groups.ts'
import { itemsUnder } from './query-items.ts'

/** One element of a TransactWriteItems request. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number]

/** The sort key of the group item; members sort after it as `member/<id>`. */
const GROUP_ENTRY = 'group'
const MEMBER_PREFIX = 'member/'

function memberEntry(memberId: string): string {
  return `${MEMBER_PREFIX}${memberId}`
}

/** Reasons a cancelled transaction may give when it only lost a race. */
const LOST_RACE = new Set(['None', 'ConditionalCheckFailed', 'TransactionConflict'])

/**
 * The groups table: per group, one group item and one item per member under
 * the group id, so a single strongly consistent Query reads a whole group.
 * The offsets store fences its transactions with the items built here.
 */
export class DynamoDbGroupStore implements GroupStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async load(groupId: string): Promise<LoadedGroup> {
    let group: GroupRecord | undefined
    const members: MemberRecord[] = []
    for await (const item of itemsUnder(this.documents, this.table, { groupId })) {
      const { entry, groupId: _group, ...record } = item
      if (entry === GROUP_ENTRY) group = { groupId, ...record } as GroupRecord
      else members.push(record as MemberRecord)
    }
    return { ...(group && { group }), members }
  }

  async member(groupId: string, memberId: string): Promise<MemberRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.table,
        Key: { groupId, entry: memberEntry(memberId) },
        ConsistentRead: true,
      }),
    )
    if (!Item) return undefined
    const { entry: _entry, groupId: _group, ...record } = Item
    return record as MemberRecord
  }

  async *groups(): AsyncGenerator<GroupRecord> {
    const pages = paginateScan(
      { client: this.documents },
      {
        TableName: this.table,
        FilterExpression: 'entry = :group',
        ExpressionAttributeValues: { ':group': GROUP_ENTRY },
        ConsistentRead: true,
      },
    )
    for await (const page of pages) {
      for (const { entry: _entry, ...record } of page.Items ?? []) yield record as GroupRecord
    }
  }

  async groupsWithExpiredMembers(now: number): Promise<string[]> {
    const groups = new Set<string>()
    const pages = paginateScan(
      { client: this.documents },
      {
        TableName: this.table,
        FilterExpression: 'sessionDeadline < :now',
        ProjectionExpression: 'groupId',
        ExpressionAttributeValues: { ':now': now },
      },
    )
    for await (const page of pages) {
      for (const item of page.Items ?? []) groups.add(item.groupId as string)
    }
    return [...groups]
  }

  /** Writes a step's changes: one conditional write when one item changed, else one transaction. */
  async save(groupId: string, write: GroupWrite): Promise<void> {
    const items: TransactItem[] = []
    if (write.group) {
      const { record, expectedVersion } = write.group
      items.push({
        Put: {
          TableName: this.table,
          Item: { ...record, groupId, entry: GROUP_ENTRY },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(entry)' }
            : {
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': expectedVersion },
              }),
        },
      })
    }
    for (const { record, expectedRevision } of write.putMembers) {
      items.push({
        Put: {
          TableName: this.table,
          Item: { ...record, groupId, entry: memberEntry(record.memberId) },
          ...(expectedRevision === undefined
            ? { ConditionExpression: 'attribute_not_exists(entry)' }
            : {
                ConditionExpression: 'revision = :revision',
                ExpressionAttributeValues: { ':revision': expectedRevision },
              }),
        },
      })
    }
    for (const { memberId, expectedRevision } of write.deleteMembers) {
      items.push({
        Delete: {
          TableName: this.table,
          Key: { groupId, entry: memberEntry(memberId) },
          ConditionExpression: 'revision = :revision',
          ExpressionAttributeValues: { ':revision': expectedRevision },
        },
      })
    }
    await this.writeAll(items)
  }

  /**
   * A transaction item that holds only while the member is alive at `epoch`
   * and holds every one of `partitions`: offset commits are fenced with it.
   */
  memberFence(
    groupId: string,
    memberId: string,
    epoch: number,
    partitions: readonly PartitionKey[],
    now: number,
  ): TransactItem {
    const values: Record<string, unknown> = { ':epoch': epoch, ':now': now }
    const owns = partitions.map((key, i) => {
      values[`:p${i}`] = key
      return `(contains(assigned, :p${i}) OR contains(revoking, :p${i}))`
    })
    return {
      ConditionCheck: {
        TableName: this.table,
        Key: { groupId, entry: memberEntry(memberId) },
        ConditionExpression: ['epoch = :epoch', 'sessionDeadline >= :now', ...owns].join(' AND '),
        ExpressionAttributeValues: values,
      },
    }
  }

  /**
   * A transaction item that holds only while the group has no members,
   * creating the group item if there is none: commits without membership are
   * fenced with it, and they make the group exist, as in Kafka. It moves the
   * group's version, so a delete that read the group before knows its offsets changed.
   */
  emptyGroupFence(groupId: string, now: number): TransactItem {
    const { groupId: _id, version: _version, ...initial } = emptyGroup(groupId, now)
    const names: Record<string, string> = { '#version': 'version' }
    const values: Record<string, unknown> = { ':noMembers': 0, ':zero': 0, ':one': 1 }
    const sets = Object.entries(initial).map(([field, value], i) => {
      names[`#f${i}`] = field
      values[`:f${i}`] = value
      return `#f${i} = if_not_exists(#f${i}, :f${i})`
    })
    return {
      Update: {
        TableName: this.table,
        Key: { groupId, entry: GROUP_ENTRY },
        UpdateExpression: `SET ${sets.join(', ')}, #version = if_not_exists(#version, :zero) + :one`,
        ConditionExpression: 'attribute_not_exists(entry) OR memberCount = :noMembers',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    }
  }

  /**
   * A transaction item that holds only while the group is still at `version`
   * and has no members: nobody joined, and no offset was committed, since it was read.
   */
  unchangedEmptyGroupCheck(groupId: string, version: number): TransactItem {
    return {
      ConditionCheck: { TableName: this.table, ...this.unchangedEmptyGroup(groupId, version) },
    }
  }

  /** A transaction item deleting the group item, under the same condition. */
  groupDeletion(groupId: string, version: number): TransactItem {
    return { Delete: { TableName: this.table, ...this.unchangedEmptyGroup(groupId, version) } }
  }

  private unchangedEmptyGroup(groupId: string, version: number) {
    return {
      Key: { groupId, entry: GROUP_ENTRY },
      ConditionExpression: 'memberCount = :noMembers AND version = :version',
      ExpressionAttributeValues: { ':noMembers': 0, ':version': version },
    }
  }

  private async writeAll(items: readonly TransactItem[]): Promise<void> {
    try {
      const [only] = items
      if (items.length === 1 && only?.Put) {
        await this.documents.send(new PutCommand(only.Put))
      } else if (items.length === 1 && only?.Delete) {
        await this.documents.send(new DeleteCommand(only.Delete))
      } else {
        await this.documents.send(new TransactWriteCommand({ TransactItems: [...items] }))
      }
    } catch (error) {
      if (isLostRace(error)) throw new GroupConflictError('The group changed while this step ran')
      throw error
    }
  }
}

/** A write refused only because another write got there first. */
export function isLostRace(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true
  if (error instanceof TransactionConflictException) return true
  if (!(error instanceof TransactionCanceledException)) return false
  return (error.CancellationReasons ?? []).every((reason) => LOST_RACE.has(reason.Code ?? 'None'))
}
