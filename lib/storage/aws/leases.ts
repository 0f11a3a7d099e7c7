import { type DynamoDBDocumentClient, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { PARTITION_TASKS, type PartitionTask } from '../../maintenance/tasks.ts'
import { conditionalWrite, conditionHeld } from '../conditional-write.ts'

/** What a lease item remembers of a partition's maintenance from one run to the next. */
export interface MaintenanceState {
  /** Kafka's cleaner checkpoint: the offsets below it were compacted against each other. */
  readonly cleanOffset?: number
  /** When each task last finished on the partition. */
  readonly finishedAt: Readonly<Partial<Record<PartitionTask, number>>>
}

/** A partition maintenance has never touched. */
export const NO_MAINTENANCE_STATE: MaintenanceState = { finishedAt: {} }

interface LeaseItem {
  readonly partitionKey: string
  readonly holder?: string
  readonly epoch?: number
  readonly expiresAt?: number
  readonly cleanOffset?: number
  readonly [finished: `${string}FinishedAt`]: number | undefined
}

/** The lease was taken over (it expired and another run took it): nothing more may be written under it. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError'
  constructor(readonly partitionKey: string) {
    super(`Lost the maintenance lease on partition ${partitionKey}`)
  }
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

/**
 * Partition leases: an item per partition with a holder, an epoch that grows
 * with every acquisition, and an expiry. A run takes the lease with a
 * conditional write, and every index rewrite it makes carries `fence()`, so a
 * run whose lease expired and was taken over can no longer change anything.
 */
export class PartitionLeases {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: () => number,
  ) {}

  /** The remembered state of every partition maintenance has touched, by partition key. */
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

  /** Takes the partition's lease for `holder`, unless another holder's has yet to expire. */
  async acquire(
    partitionKey: string,
    holder: string,
    durationMs: number,
  ): Promise<PartitionLease | undefined> {
    const now = this.clock()
    const expiresAt = now + durationMs
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
    return new PartitionLease(this.documents, this.table, this.clock, durationMs, {
      partitionKey,
      holder,
      epoch: granted.epoch ?? 1,
      expiresAt,
      state: stateOf(granted),
    })
  }
}

interface HeldLease {
  readonly partitionKey: string
  readonly holder: string
  readonly epoch: number
  readonly expiresAt: number
  readonly state: MaintenanceState
}

/** One held lease. Every write through it is conditioned on its holder and epoch. */
export class PartitionLease {
  readonly partitionKey: string
  readonly epoch: number
  /** The partition's remembered state when the lease was taken. */
  readonly state: MaintenanceState
  private readonly holder: string
  private expiresAt: number

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: () => number,
    private readonly durationMs: number,
    held: HeldLease,
  ) {
    this.partitionKey = held.partitionKey
    this.holder = held.holder
    this.epoch = held.epoch
    this.expiresAt = held.expiresAt
    this.state = held.state
  }

  /** A transaction item that cancels the transaction unless this lease still holds. */
  fence() {
    return {
      ConditionCheck: {
        TableName: this.table,
        Key: { partitionKey: this.partitionKey },
        ...this.heldCondition(),
      },
    }
  }

  /** Renews the lease once half of it has run out, so long work keeps it. */
  async keepAlive(): Promise<void> {
    const now = this.clock()
    if (this.expiresAt - now > this.durationMs / 2) return
    await this.update(
      'SET #expiresAt = :expiresAt',
      { ':expiresAt': now + this.durationMs },
      EXPIRY,
    )
    this.expiresAt = now + this.durationMs
  }

  /** Moves the cleaner checkpoint after a complete compaction pass. */
  async recordCompaction(cleanOffset: number): Promise<void> {
    await this.update('SET cleanOffset = :clean', { ':clean': cleanOffset })
  }

  /** Gives the lease up at once, noting which tasks finished, so the next run can start elsewhere. */
  async release(finished: readonly PartitionTask[]): Promise<void> {
    const now = this.clock()
    const values: Record<string, unknown> = { ':released': 0 }
    const sets = ['#expiresAt = :released']
    finished.forEach((task, i) => {
      sets.push(`${finishedAttribute(task)} = :finished${i}`)
      values[`:finished${i}`] = now
    })
    await this.update(`SET ${sets.join(', ')}`, values, EXPIRY)
  }

  private heldCondition() {
    return {
      ConditionExpression: '#holder = :heldBy AND #epoch = :heldEpoch',
      ExpressionAttributeNames: { '#holder': 'holder', '#epoch': 'epoch' },
      ExpressionAttributeValues: { ':heldBy': this.holder, ':heldEpoch': this.epoch },
    }
  }

  private async update(
    expression: string,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ): Promise<void> {
    const held = this.heldCondition()
    await conditionalWrite(
      () =>
        this.documents.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { partitionKey: this.partitionKey },
            UpdateExpression: expression,
            ConditionExpression: held.ConditionExpression,
            ExpressionAttributeNames: { ...held.ExpressionAttributeNames, ...names },
            ExpressionAttributeValues: { ...held.ExpressionAttributeValues, ...values },
          }),
        ),
      () => new LeaseLostError(this.partitionKey),
    )
  }
}
