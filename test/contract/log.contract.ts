import { randomUUID } from 'node:crypto'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  CommitConflictError,
  EMPTY_HEAD,
  MAX_ENTRIES_PER_RUN,
  MAX_IDEMPOTENT_PARTITIONS_PER_COMMIT,
  MAX_PARTITIONS_PER_COMMIT,
  type PartitionAppend,
  type SegmentEntry,
} from '../../lib/storage/ports/log.ts'
import type { LogStores } from '../../lib/storage/ports/log-stores.ts'

/** The stores a log commit spans. */
export type LogCommitStores = Pick<LogStores, 'heads' | 'segments' | 'committer'>

const NOW = 1_700_000_000_000

/** An index entry of `count` records from `baseOffset`, in an object of its own. */
export function entryAt(baseOffset: number, count = 5): SegmentEntry {
  return {
    baseOffset,
    lastOffset: baseOffset + count - 1,
    recordCount: count,
    objectKey: `topics/t/ingest/${baseOffset}-${count}`,
    byteOffset: 16,
    byteLength: 100 * count,
    minTimestamp: NOW - 10,
    maxTimestamp: NOW,
    formats: '',
    createdAt: NOW,
  }
}

export async function scanned(
  stores: LogCommitStores,
  topicId: string,
  partition: number,
  fromOffset?: number,
): Promise<SegmentEntry[]> {
  const entries: SegmentEntry[] = []
  for await (const entry of stores.segments.scan(topicId, partition, fromOffset)) {
    entries.push(entry)
  }
  return entries
}

async function conflictOf(commit: Promise<void>): Promise<CommitConflictError> {
  const error = await commit.catch((e: unknown) => e)
  expect(error).toBeInstanceOf(CommitConflictError)
  return error as CommitConflictError
}

/**
 * The log's contract: PartitionHeads, SegmentIndex and LogCommitter of one
 * engine, over the same state. Every test works under a fresh topic id.
 */
export function describeLogContract(engine: string, open: () => Promise<LogCommitStores>) {
  describe(`PartitionHeads, SegmentIndex and LogCommitter on ${engine}`, () => {
    let stores: LogCommitStores
    let topicId: string

    beforeAll(async () => {
      stores = await open()
    })
    beforeEach(() => {
      topicId = randomUUID()
    })

    const commit = (appends: readonly PartitionAppend[]) =>
      stores.committer.commit(topicId, appends, NOW)

    it('has empty heads and no entries for partitions never written', async () => {
      expect(await stores.heads.read(topicId, [0, 1])).toEqual(
        new Map([
          [0, EMPTY_HEAD],
          [1, EMPTY_HEAD],
        ]),
      )
      expect(await stores.heads.readOne(topicId, 7)).toEqual(EMPTY_HEAD)
      expect(await stores.segments.floor(topicId, 0, 100)).toBeUndefined()
      expect(await stores.segments.after(topicId, 0, -1, 10)).toEqual([])
      expect(await scanned(stores, topicId, 0)).toEqual([])
    })

    it('commits appends to several partitions: heads move past them, entries join the index', async () => {
      await commit([
        { partition: 0, entry: entryAt(0, 3) },
        { partition: 2, entry: entryAt(0, 5) },
      ])
      await commit([{ partition: 0, entry: entryAt(3, 2) }])

      expect(await stores.heads.read(topicId, [0, 1, 2])).toEqual(
        new Map([
          [0, { logStartOffset: 0, logEndOffset: 5 }],
          [1, EMPTY_HEAD],
          [2, { logStartOffset: 0, logEndOffset: 5 }],
        ]),
      )
      expect(await scanned(stores, topicId, 0)).toEqual([entryAt(0, 3), entryAt(3, 2)])
      expect(await scanned(stores, topicId, 2)).toEqual([entryAt(0, 5)])
      // Another topic's partitions are others.
      expect(await stores.heads.readOne(randomUUID(), 0)).toEqual(EMPTY_HEAD)
    })

    it('commits nothing when any head is not at its expected base, naming the partitions that lost', async () => {
      await commit([{ partition: 1, entry: entryAt(0, 4) }])
      const conflict = await conflictOf(
        commit([
          { partition: 0, entry: entryAt(0) },
          { partition: 1, entry: entryAt(2) },
          { partition: 2, entry: entryAt(3) },
        ]),
      )
      expect(conflict.partitions).toEqual([1, 2])
      expect(conflict.reasons.length).toBeGreaterThan(0)

      expect(await stores.heads.read(topicId, [0, 1, 2])).toEqual(
        new Map([
          [0, EMPTY_HEAD],
          [1, { logStartOffset: 0, logEndOffset: 4 }],
          [2, EMPTY_HEAD],
        ]),
      )
      expect(await scanned(stores, topicId, 0)).toEqual([])
      expect(await scanned(stores, topicId, 1)).toEqual([entryAt(0, 4)])
      expect(await scanned(stores, topicId, 2)).toEqual([])
    })

    it('commits nothing when an index entry already sits at the base offset', async () => {
      // An empty range leaves an entry at offset 0 without moving the head past it.
      await commit([{ partition: 0, entry: entryAt(0, 0) }])
      expect(await stores.heads.readOne(topicId, 0)).toEqual(EMPTY_HEAD)

      const conflict = await conflictOf(
        commit([
          { partition: 0, entry: entryAt(0, 3) },
          { partition: 1, entry: entryAt(0, 3) },
        ]),
      )
      expect(conflict.partitions).toEqual([0])
      expect(await stores.heads.read(topicId, [0, 1])).toEqual(
        new Map([
          [0, EMPTY_HEAD],
          [1, EMPTY_HEAD],
        ]),
      )
      expect(await scanned(stores, topicId, 0)).toEqual([entryAt(0, 0)])
      expect(await scanned(stores, topicId, 1)).toEqual([])
    })

    it('commits a run of ranges to one partition, moving its head once past the last', async () => {
      await commit([{ partition: 0, entry: entryAt(0, 2) }])
      const run = [entryAt(2, 3), entryAt(5, 1), entryAt(6, 4)]
      await stores.committer.commitRun(topicId, 0, run, NOW)

      expect(await stores.heads.readOne(topicId, 0)).toEqual({
        logStartOffset: 0,
        logEndOffset: 10,
      })
      expect(await scanned(stores, topicId, 0)).toEqual([entryAt(0, 2), ...run])
    })

    it('commits no part of a run whose first range is not at the head, naming its partition', async () => {
      await commit([{ partition: 3, entry: entryAt(0, 2) }])
      const conflict = await conflictOf(
        stores.committer.commitRun(topicId, 3, [entryAt(1, 1), entryAt(2, 1)], NOW),
      )
      expect(conflict.partitions).toEqual([3])
      expect(await stores.heads.readOne(topicId, 3)).toEqual({ logStartOffset: 0, logEndOffset: 2 })
      expect(await scanned(stores, topicId, 3)).toEqual([entryAt(0, 2)])
    })

    it('takes empty commits and runs as no-ops, and refuses ones too big for a single commit', async () => {
      await commit([])
      await stores.committer.commitRun(topicId, 0, [], NOW)
      expect(await stores.heads.readOne(topicId, 0)).toEqual(EMPTY_HEAD)

      const appends = (count: number) =>
        Array.from({ length: count }, (_, partition) => ({ partition, entry: entryAt(0) }))
      await expect(commit(appends(MAX_PARTITIONS_PER_COMMIT + 1))).rejects.toBeInstanceOf(
        RangeError,
      )
      const producer = { identity: { producerId: 1, epoch: 0 }, writes: [], checkEpoch: false }
      await expect(
        stores.committer.commit(
          topicId,
          appends(MAX_IDEMPOTENT_PARTITIONS_PER_COMMIT + 1),
          NOW,
          producer,
        ),
      ).rejects.toBeInstanceOf(RangeError)
      const run = Array.from({ length: MAX_ENTRIES_PER_RUN + 1 }, (_, i) => entryAt(i, 1))
      await expect(stores.committer.commitRun(topicId, 0, run, NOW)).rejects.toBeInstanceOf(
        RangeError,
      )
      expect(await stores.heads.readOne(topicId, 0)).toEqual(EMPTY_HEAD)
    })

    it('finds entries by offset: the floor, the ones after, and a scan from any offset', async () => {
      // Entries at 0-4, 5-9, 10-14, then a gap, and 20-24.
      await stores.committer.commitRun(
        topicId,
        0,
        [entryAt(0), entryAt(5), entryAt(10), entryAt(20)],
        NOW,
      )
      const { segments } = stores
      expect(await segments.floor(topicId, 0, 0)).toEqual(entryAt(0))
      expect(await segments.floor(topicId, 0, 7)).toEqual(entryAt(5))
      expect(await segments.floor(topicId, 0, 17)).toEqual(entryAt(10))
      expect(await segments.floor(topicId, 0, 1000)).toEqual(entryAt(20))

      expect(await segments.after(topicId, 0, -1, 2)).toEqual([entryAt(0), entryAt(5)])
      expect(await segments.after(topicId, 0, 5, 10)).toEqual([entryAt(10), entryAt(20)])
      expect(await segments.after(topicId, 0, 20, 10)).toEqual([])

      expect(await scanned(stores, topicId, 0)).toEqual([
        entryAt(0),
        entryAt(5),
        entryAt(10),
        entryAt(20),
      ])
      // From inside an entry the scan starts at that entry; from a gap, after it.
      expect(await scanned(stores, topicId, 0, 7)).toEqual([entryAt(5), entryAt(10), entryAt(20)])
      expect(await scanned(stores, topicId, 0, 17)).toEqual([entryAt(20)])
      expect(await scanned(stores, topicId, 0, 25)).toEqual([])
    })

    it('keeps committed entries apart from the objects callers hold', async () => {
      const entry = { ...entryAt(0) }
      await commit([{ partition: 0, entry }])
      ;(entry as { objectKey: string }).objectKey = 'changed'
      const read = await stores.segments.floor(topicId, 0, 0)
      ;(read as { objectKey: string }).objectKey = 'changed'
      const head = await stores.heads.readOne(topicId, 0)
      ;(head as { logEndOffset: number }).logEndOffset = 99
      expect(await stores.segments.floor(topicId, 0, 0)).toEqual(entryAt(0))
      expect(await stores.heads.readOne(topicId, 0)).toEqual({ logStartOffset: 0, logEndOffset: 5 })
    })
  })
}
