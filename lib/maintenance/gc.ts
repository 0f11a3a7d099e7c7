import {
  TOPIC_OBJECTS_ROOT,
  topicIdOfObjectKey,
  topicIdOfPartitionKey,
  topicObjectPrefix,
} from '../storage/keys.ts'
import type { LogInventory } from '../storage/ports/log-inventory.ts'
import type { ListedObject, ObjectStore } from '../storage/ports/objects.ts'
import type { TopicStore } from '../storage/ports/topics.ts'
import type { Budget } from './budget.ts'
import type { MaintenanceOptions } from './options.ts'
import type { GcReport } from './report.ts'

/** Objects deleted between two looks at the clock: one DeleteObjects request. */
const DELETE_CHUNK = 1000

/** What the index refers to, and which partitions hold items at all. */
interface References {
  readonly objectKeys: ReadonlySet<string>
  /** Every index entry's base offset, by partition, so a dead partition's can be deleted. */
  readonly baseOffsets: ReadonlyMap<string, readonly number[]>
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
 * Reading every index entry is fine at the scale Sluice runs at. At a larger
 * one, an object ledger (an item per object, written before its PUT and
 * released in the transaction that drops its last reference) would let GC
 * read only released objects.
 */
export class GarbageCollector {
  constructor(
    private readonly inventory: LogInventory,
    private readonly objects: ObjectStore,
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
      itemsDeleted += await this.purgePartition(key, references.baseOffsets.get(key) ?? [])
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
    const baseOffsets = new Map<string, number[]>()
    for await (const reference of this.inventory.references()) {
      objectKeys.add(reference.objectKey)
      const offsets = baseOffsets.get(reference.partitionKey) ?? []
      offsets.push(reference.baseOffset)
      baseOffsets.set(reference.partitionKey, offsets)
    }
    const partitionKeys = new Set(baseOffsets.keys())
    // Heads and leases outlive a partition's entries; only a full collection looks for them.
    if (withHeadsAndLeases) {
      for await (const key of this.inventory.partitionKeys()) partitionKeys.add(key)
    }
    return { objectKeys, baseOffsets, partitionKeys }
  }

  /**
   * Deletes a dead partition's items without a lease: nothing reads a deleted
   * topic's id again, and a rewrite racing this one is conditioned on the
   * exact items it replaces, so it either fails or leaves items the next run purges.
   */
  private async purgePartition(
    partitionKey: string,
    baseOffsets: readonly number[],
  ): Promise<number> {
    await this.inventory.purge(partitionKey, baseOffsets)
    return baseOffsets.length + 2
  }
}
