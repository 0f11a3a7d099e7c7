import { beforeEach, describe, expect, it } from 'vitest'
import { partitionKey } from '../../lib/storage/keys.ts'
import {
  IndexChangedError,
  type IndexRewriter,
  MAX_ENTRIES_PER_REWRITE,
} from '../../lib/storage/ports/index-rewrite.ts'
import { type HeldLease, LeaseLostError } from '../../lib/storage/ports/leases.ts'
import type { SegmentEntry } from '../../lib/storage/ports/log.ts'
import {
  freshTopicId,
  type LogTables,
  type OpenMaintenanceStores,
  segmentEntry,
} from './maintenance-stores.ts'

const T = 1_000_000
const TERM = 60_000
const PARTITION = 3

/**
 * The IndexRewriter port: each rewrite under a held lease, fenced by a lost
 * lease, refused when an entry it read has changed, and all or nothing.
 */
export function describeIndexRewriterContract(
  engineName: string,
  open: OpenMaintenanceStores,
): void {
  describe(`IndexRewriter contract (${engineName})`, () => {
    let rewriter: IndexRewriter
    let log: LogTables
    let topicId: string
    let key: string
    let lease: HeldLease
    /** The partition's log: offsets 0 to 9 in three ingest entries, starting at 0. */
    let a: SegmentEntry
    let b: SegmentEntry
    let c: SegmentEntry
    /** Takes the lease over from `lease` once it has expired. */
    let takeOver: () => Promise<HeldLease>

    beforeEach(async () => {
      const stores = await open()
      rewriter = stores.rewriter
      log = stores.log
      topicId = freshTopicId()
      key = partitionKey(topicId, PARTITION)
      a = segmentEntry(0, 2, `${topicId}/a`)
      b = segmentEntry(3, 5, `${topicId}/b`)
      c = segmentEntry(6, 9, `${topicId}/c`)
      await log.putHead(key, { logStartOffset: 0, logEndOffset: 10 })
      for (const entry of [a, b, c]) await log.putEntry(key, entry)
      const grant = await stores.leases.acquire(key, 'run-a', T, T + TERM)
      if (!grant) throw new Error('The lease of a partition never leased was refused')
      lease = grant.lease
      takeOver = async () => {
        const next = await stores.leases.acquire(key, 'run-b', T + TERM, T + 2 * TERM)
        if (!next) throw new Error('An expired lease was not taken over')
        return next.lease
      }
    })

    async function expectLog(entries: readonly SegmentEntry[], logStartOffset = 0) {
      expect(await log.entries(key)).toEqual(entries)
      expect(await log.head(key)).toEqual({ logStartOffset, logEndOffset: 10 })
    }

    describe('replace', () => {
      it('puts one entry in place of the consecutive entries it covers', async () => {
        const merged = { ...segmentEntry(0, 5, `${topicId}/merged`), offsetIndex: 'AAAA' }
        await rewriter.replace(lease, topicId, PARTITION, [a, b], merged)
        await expectLog([merged, c])
      })

      it('replaces a single entry, e.g. with its compacted copy', async () => {
        const compacted = { ...segmentEntry(6, 9, `${topicId}/compacted`), recordCount: 2 }
        await rewriter.replace(lease, topicId, PARTITION, [c], compacted)
        await expectLog([a, b, compacted])
      })

      it('keeps a copy of the replacement, not the object it was given', async () => {
        const merged = segmentEntry(0, 9, `${topicId}/merged`)
        await rewriter.replace(lease, topicId, PARTITION, [a, b, c], merged)
        Object.assign(merged, { objectKey: 'changed afterwards' })
        expect((await log.entries(key))[0]?.objectKey).toBe(`${topicId}/merged`)
      })

      it('refuses a replacement that does not cover exactly the entries it replaces', async () => {
        const attempts: [SegmentEntry[], SegmentEntry][] = [
          [[], segmentEntry(0, 2, 'x')],
          [[a, b], segmentEntry(0, 4, 'x')],
          [[a, b], segmentEntry(1, 5, 'x')],
          [Array.from({ length: MAX_ENTRIES_PER_REWRITE + 1 }, () => a), segmentEntry(0, 2, 'x')],
        ]
        for (const [replaced, replacement] of attempts) {
          await expect(
            rewriter.replace(lease, topicId, PARTITION, replaced, replacement),
          ).rejects.toThrow(RangeError)
        }
        await expectLog([a, b, c])
      })

      it('changes nothing when an entry it replaces has changed since it was read', async () => {
        // Another rewrite put a different object under b's offsets.
        const rewritten = segmentEntry(3, 5, `${topicId}/rewritten`)
        await log.putEntry(key, rewritten)
        await expect(
          rewriter.replace(lease, topicId, PARTITION, [a, b, c], segmentEntry(0, 9, 'x')),
        ).rejects.toThrow(IndexChangedError)
        await expectLog([a, rewritten, c])
      })

      it('changes nothing when the first entry it replaces is gone', async () => {
        const merged = segmentEntry(0, 9, `${topicId}/merged`)
        await rewriter.replace(lease, topicId, PARTITION, [a, b, c], merged)
        await expect(
          rewriter.replace(lease, topicId, PARTITION, [a, b], segmentEntry(0, 5, 'x')),
        ).rejects.toThrow(IndexChangedError)
        await expectLog([merged])
      })
    })

    describe('remove', () => {
      it('deletes the entries given', async () => {
        await rewriter.remove(lease, topicId, PARTITION, [a, b])
        await expectLog([c])
      })

      it('refuses no entries, or more than one rewrite may hold', async () => {
        await expect(rewriter.remove(lease, topicId, PARTITION, [])).rejects.toThrow(RangeError)
        const tooMany = Array.from({ length: MAX_ENTRIES_PER_REWRITE + 1 }, () => a)
        await expect(rewriter.remove(lease, topicId, PARTITION, tooMany)).rejects.toThrow(
          RangeError,
        )
        await expectLog([a, b, c])
      })

      it('changes nothing when one of the entries has changed or gone', async () => {
        await rewriter.remove(lease, topicId, PARTITION, [b])
        await expect(rewriter.remove(lease, topicId, PARTITION, [a, b])).rejects.toThrow(
          IndexChangedError,
        )
        const moved = { ...a, byteOffset: 40 }
        await log.putEntry(key, moved)
        await expect(rewriter.remove(lease, topicId, PARTITION, [a, c])).rejects.toThrow(
          IndexChangedError,
        )
        await expectLog([moved, c])
      })
    })

    describe('advanceLogStart', () => {
      it('moves the log start forward, up to the log end', async () => {
        await rewriter.advanceLogStart(lease, topicId, PARTITION, 3)
        await expectLog([a, b, c], 3)
        await rewriter.advanceLogStart(lease, topicId, PARTITION, 10)
        await expectLog([a, b, c], 10)
      })

      it('refuses to move it back, to stand still or to pass the log end', async () => {
        await rewriter.advanceLogStart(lease, topicId, PARTITION, 6)
        for (const start of [3, 6, 11]) {
          await expect(rewriter.advanceLogStart(lease, topicId, PARTITION, start)).rejects.toThrow(
            IndexChangedError,
          )
        }
        await expectLog([a, b, c], 6)
      })

      it('refuses a partition without a head', async () => {
        await expect(rewriter.advanceLogStart(lease, topicId, PARTITION + 1, 1)).rejects.toThrow(
          IndexChangedError,
        )
        expect(await log.head(partitionKey(topicId, PARTITION + 1))).toBeUndefined()
      })
    })

    describe('under a lost lease', () => {
      it('changes nothing, whichever rewrite it is', async () => {
        const current = await takeOver()
        // One at a time: each is awaited as it is made, so none fails unobserved.
        const lost = [
          () => rewriter.replace(lease, topicId, PARTITION, [a, b], segmentEntry(0, 5, 'x')),
          () => rewriter.remove(lease, topicId, PARTITION, [a]),
          () => rewriter.advanceLogStart(lease, topicId, PARTITION, 3),
        ]
        for (const rewrite of lost) {
          const error = await rewrite().catch((e: unknown) => e)
          expect(error).toBeInstanceOf(LeaseLostError)
          expect(error).toMatchObject({ partitionKey: key })
        }
        await expectLog([a, b, c])
        // The lease that replaced it rewrites as usual.
        await rewriter.remove(current, topicId, PARTITION, [a])
        await expectLog([b, c])
      })

      it('says so before it says the index changed', async () => {
        await takeOver()
        await log.putEntry(key, segmentEntry(0, 2, `${topicId}/rewritten`))
        await expect(
          rewriter.replace(lease, topicId, PARTITION, [a, b], segmentEntry(0, 5, 'x')),
        ).rejects.toThrow(LeaseLostError)
      })
    })
  })
}
