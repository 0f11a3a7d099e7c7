import { BatchWriteCommand, type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb'
import { type BackoffPolicy, backoff } from '../common/backoff.ts'
import {
  TOPIC_OBJECTS_ROOT,
  topicIdOfObjectKey,
  topicIdOfPartitionKey,
  topicObjectPrefix,
} from '../storage/keys.ts'
import type { ListedObject, ObjectStore } from '../storage/ports/objects.ts'
import type { TopicStore } from '../storage/ports/topics.ts'
import type { StorageNames } from '../storage/tables.ts'
import type { Budget } from './budget.ts'
import type { MaintenanceOptions } from './options.ts'
import type { GcReport } from './report.ts'

/** Objects deleted between two looks at the clock: one DeleteObjects request. */
const DELETE_CHUNK = 1000
/** DynamoDB takes at most 25 writes per BatchWriteItem. */
const BATCH_WRITE_LIMIT = 25
const UNPROCESSED_BACKOFF: BackoffPolicy = { baseMs: 20, capMs: 1000 }

type Key = Record<string, string | number>

/** What the index refers to, and which partitions hold items at all. */
interface References {
  readonly objectKeys: ReadonlySet<string>
  /** Every index item's key, by partition, so a dead partition's can be deleted. */
  readonly segmentKeys: ReadonlyMap<string, readonly Key[]>
  readonly partitionKeys: ReadonlySet<string>
}

/**
 * Garbage collection of the data bucket and of deleted topics' items.
 *
 * An object is garbage once it is older than the grace period and either no
 * index item refers to it or its topic is gone. Objects are only ever
 * referenced by index items written right after the object itself (a produce
 * commit, a rewrite), and both finish well within the grace period: so an
 * object past its grace only ever loses references, and the index scan need
 * not be a snapshot. The listing comes first and the topics last: an object
 * listed was written after its topic existed, so a topic missing from the
 * later read was deleted, not created meanwhile; the same holds for items.
 * Readers need no grace: one that found an entry before a rewrite and finds
 * its object deleted reads the same offsets from the entries that replaced it.
 *
 * Scanning the whole segments table is fine at the scale Sluice runs at. At a
 * larger one, an object ledger (an item per object, written before its PUT
 * and released in the transaction that drops its last reference) would let GC
 * read only released objects.
 */
export class GarbageCollector {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly objects: ObjectStore,
    private readonly tables: StorageNames['tables'],
    private readonly topics: TopicStore,
    private readonly options: MaintenanceOptions,
  ) {}

  /**
   * Collects the objects of the given topics, or of every topic, and then
   * also purges the heads, index entries and leases of deleted topics.
   */
  async collect(budget: Budget, topicIds?: readonly string[]): Promise<GcReport> {
    const { clock, objectGraceMs } = this.options
    const prefixes = topicIds?.map(topicObjectPrefix) ?? [TOPIC_OBJECTS_ROOT]
    const listed: ListedObject[] = []
    for (const prefix of prefixes) {
      for await (const object of this.objects.list(prefix)) listed.push(object)
    }
    const everything = topicIds === undefined
    const references = await this.references(everything)
    const live = new Set((await this.topics.list()).map((topic) => topic.topicId))

    const cutoff = clock() - objectGraceMs
    const unwanted = listed.filter((object) => {
      const topicId = topicIdOfObjectKey(object.key)
      return !references.objectKeys.has(object.key) || !(topicId && live.has(topicId))
    })
    const garbage = unwanted.filter((object) => object.lastModified <= cutoff)
    let objectsDeleted = 0
    let bytesDeleted = 0
    let complete = true
    for (let i = 0; i < garbage.length; i += DELETE_CHUNK) {
      if (budget.exhausted) {
        complete = false
        break
      }
      const batch = garbage.slice(i, i + DELETE_CHUNK)
      await this.objects.delete(batch.map((object) => object.key))
      objectsDeleted += batch.length
      bytesDeleted += batch.reduce((sum, object) => sum + object.size, 0)
    }

    const dead = everything
      ? [...references.partitionKeys].filter((key) => !live.has(topicIdOfPartitionKey(key)))
      : []
    let itemsDeleted = 0
    for (const key of dead) {
      if (budget.exhausted) {
        complete = false
        break
      }
      itemsDeleted += await this.purgePartition(key, references.segmentKeys.get(key) ?? [])
    }
    return {
      objectsBefore: listed.length,
      objectsAfter: listed.length - objectsDeleted,
      objectsDeleted,
      bytesDeleted,
      objectsInGrace: unwanted.length - garbage.length,
      deadPartitions: dead.length,
      itemsDeleted,
      complete,
    }
  }

  private async references(withHeadsAndLeases: boolean): Promise<References> {
    const objectKeys = new Set<string>()
    const segmentKeys = new Map<string, Key[]>()
    for await (const item of this.scan(
      this.tables.segments,
      'partitionKey, baseOffset, objectKey',
    )) {
      objectKeys.add(item.objectKey as string)
      const partition = item.partitionKey as string
      const keys = segmentKeys.get(partition) ?? []
      keys.push({ partitionKey: partition, baseOffset: item.baseOffset as number })
      segmentKeys.set(partition, keys)
    }
    const partitionKeys = new Set(segmentKeys.keys())
    // Heads and leases outlive a partition's entries; only a full collection looks for them.
    if (withHeadsAndLeases) {
      for (const table of [this.tables.partitions, this.tables.leases]) {
        for await (const item of this.scan(table, 'partitionKey')) {
          partitionKeys.add(item.partitionKey as string)
        }
      }
    }
    return { objectKeys, segmentKeys, partitionKeys }
  }

  private async *scan(table: string, projection: string): AsyncGenerator<Record<string, unknown>> {
    const pages = paginateScan(
      { client: this.documents },
      { TableName: table, ProjectionExpression: projection, ConsistentRead: true },
    )
    for await (const page of pages) yield* page.Items ?? []
  }

  /**
   * Deletes a dead partition's items without a lease: nothing reads a deleted
   * topic's id again, and a rewrite racing this one is conditioned on the
   * exact items it replaces, so it either fails or leaves items the next run purges.
   */
  private async purgePartition(partitionKey: string, segmentKeys: readonly Key[]): Promise<number> {
    const single = [{ partitionKey }]
    await this.deleteItems(this.tables.segments, segmentKeys)
    await this.deleteItems(this.tables.partitions, single)
    await this.deleteItems(this.tables.leases, single)
    return segmentKeys.length + 2
  }

  private async deleteItems(table: string, keys: readonly Key[]): Promise<void> {
    let pending = keys.map((key) => ({ DeleteRequest: { Key: key } }))
    for (let round = 0; pending.length > 0; ) {
      const batch = pending.slice(0, BATCH_WRITE_LIMIT)
      pending = pending.slice(BATCH_WRITE_LIMIT)
      const { UnprocessedItems } = await this.documents.send(
        new BatchWriteCommand({ RequestItems: { [table]: batch } }),
      )
      // Throttled deletes come back unprocessed; they go round again with the rest.
      const unprocessed = UnprocessedItems?.[table] ?? []
      if (unprocessed.length > 0) {
        pending.push(...(unprocessed as typeof pending))
        await backoff(round++, UNPROCESSED_BACKOFF)
      }
    }
  }
}
