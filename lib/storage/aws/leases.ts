import { type DynamoDBDocumentClient, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { PARTITION_TASKS, type PartitionTask } from '../../maintenance/tasks.ts'
import {
  type HeldLease,
  type LeaseGrant,
  LeaseLostError,
  type MaintenanceState,
  NO_MAINTENANCE_STATE,
  type PartitionLeases,
} from '../ports/leases.ts'
import { conditionalWrite, conditionHeld } from './conditional-write.ts'

interface LeaseItem {
  readonly partitionKey: string
  readonly holder?: string
  readonly epoch?: number
  readonly expiresAt?: number
  readonly cleanOffset?: number
  readonly [finished: `${string}FinishedAt`]: number | undefined
}

const finishedAttribute = (task: PartitionTask) => `${task}FinishedAt` as const
const EXPIRY = { '#expiresAt': 'expiresAt' }

function stateOf(item: LeaseItem | undefined): MaintenanceState {
  if (!item) return NO_MAINTENANCE_STATE
  const finishedAt: Partial<Record<PartitionTask, number>> = {}
  for (const task of PARTITION_TASKS) {
    const at = item[finishedAttribute(task)]
    if (at !== undefined) finishedAt[task] = at
  }
  return {
    ...(item.cleanOffset !== undefined && { cleanOffset: item.cleanOffset }),
    finishedAt,
  }
}

/** The condition every write under a lease carries, here and in the rewriter's fence. */
export function heldCondition(lease: HeldLease) {
  return {
    ConditionExpression: '#holder = :heldBy AND #epoch = :heldEpoch',
    ExpressionAttributeNames: { '#holder': 'holder', '#epoch': 'epoch' },
    ExpressionAttributeValues: { ':heldBy': lease.holder, ':heldEpoch': lease.epoch },
  }
}

/**
 * Partition leases in DynamoDB: an item per partition with a holder, an epoch
 * that grows with every acquisition, and an expiry. A run takes the lease
 * with a conditional write, and every index rewrite it makes carries a
 * condition check on the holder and epoch (DynamoDbIndexRewriter), so a run
 * whose lease expired and was taken over can no longer change anything.
 */
export class DynamoDbPartitionLeases implements PartitionLeases {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async states(): Promise<Map<string, MaintenanceState>> {
    const states = new Map<string, MaintenanceState>()
    const pages = paginateScan(
      { client: this.documents },
      { TableName: this.table, ConsistentRead: true },
    )
    for await (const page of pages) {
      for (const item of (page.Items ?? []) as LeaseItem[]) {
        states.set(item.partitionKey, stateOf(item))
      }
    }
    return states
  }

  async acquire(
    partitionKey: string,
    holder: string,
    now: number,
    expiresAt: number,
  ): Promise<LeaseGrant | undefined> {
    let granted: LeaseItem | undefined
    const held = await conditionHeld(
      async () => {
        const { Attributes } = await this.documents.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { partitionKey },
            UpdateExpression:
              'SET #holder = :holder, #expiresAt = :expiresAt, #epoch = if_not_exists(#epoch, :zero) + :one',
            ConditionExpression: 'attribute_not_exists(partitionKey) OR #expiresAt <= :now',
            ExpressionAttributeNames: {
              '#holder': 'holder',
              '#expiresAt': 'expiresAt',
              '#epoch': 'epoch',
            },
            ExpressionAttributeValues: {
              ':holder': holder,
              ':expiresAt': expiresAt,
              ':zero': 0,
              ':one': 1,
              ':now': now,
            },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        )
        granted = Attributes as LeaseItem
      },
      // A holder is one run, and it asks for a partition's lease once with this expiry.
      (current) => {
        const mine = current?.holder === holder && current.expiresAt === expiresAt
        if (mine) granted = current as LeaseItem
        return mine
      },
    )
    if (!held || !granted) return undefined
    return { lease: { partitionKey, holder, epoch: granted.epoch ?? 1 }, state: stateOf(granted) }
  }

  async renew(lease: HeldLease, expiresAt: number): Promise<void> {
    await this.update(lease, 'SET #expiresAt = :expiresAt', { ':expiresAt': expiresAt }, EXPIRY)
  }

  async recordCompaction(lease: HeldLease, cleanOffset: number): Promise<void> {
    await this.update(lease, 'SET cleanOffset = :clean', { ':clean': cleanOffset })
  }

  async release(lease: HeldLease, finished: readonly PartitionTask[], now: number): Promise<void> {
    const values: Record<string, unknown> = { ':released': 0 }
    const sets = ['#expiresAt = :released']
    finished.forEach((task, i) => {
      sets.push(`${finishedAttribute(task)} = :finished${i}`)
      values[`:finished${i}`] = now
    })
    await this.update(lease, `SET ${sets.join(', ')}`, values, EXPIRY)
  }

  private async update(
    lease: HeldLease,
    expression: string,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ): Promise<void> {
    const held = heldCondition(lease)
    await conditionalWrite(
      () =>
        this.documents.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { partitionKey: lease.partitionKey },
            UpdateExpression: expression,
            ConditionExpression: held.ConditionExpression,
            ExpressionAttributeNames: { ...held.ExpressionAttributeNames, ...names },
            ExpressionAttributeValues: { ...held.ExpressionAttributeValues, ...values },
          }),
        ),
      () => new LeaseLostError(lease.partitionKey),
    )
  }
}
