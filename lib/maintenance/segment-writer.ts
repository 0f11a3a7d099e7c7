import { segmentObjectKey } from '../storage/keys.ts'
import { buildOffsetIndex } from '../storage/offset-index.ts'
import type { SegmentEntry } from '../storage/ports/log.ts'
import type { MaintenanceContext, PartitionWork } from './context.ts'

/** A segment's bytes and what its index entry says about them. */
export interface SegmentContent {
  readonly bytes: Buffer
  readonly recordCount: number
  readonly minTimestamp: number
  readonly maxTimestamp: number
  readonly formats: string
  readonly deleteHorizon?: number
}

/**
 * Writing a segment took so long that garbage collection may already count
 * its object as unreferenced and old: committing it could point the index at a
 * deleted object, so the rewrite is abandoned and the object left to GC.
 */
export class RewriteTooSlowError extends Error {
  override name = 'RewriteTooSlowError'
}

/**
 * Writes a new segment object, then swaps it into the index in place of the
 * entries it replaces. Until the swap commits no reader can see the object; if
 * the swap fails, the object is garbage that GC reclaims after its grace period.
 */
export async function installSegment(
  context: MaintenanceContext,
  { topic, partition, lease }: PartitionWork,
  replaced: readonly SegmentEntry[],
  content: SegmentContent,
): Promise<SegmentEntry> {
  const { clock, objectGraceMs } = context.options
  const first = replaced[0]
  const last = replaced.at(-1)
  if (!first || !last) throw new RangeError('A segment replaces at least one entry')
  await lease.keepAlive()
  const objectKey = segmentObjectKey(topic.topicId, partition)
  const writtenAt = clock()
  await context.objects.put(objectKey, content.bytes)
  if (clock() - writtenAt > objectGraceMs / 2) {
    throw new RewriteTooSlowError(
      `Writing ${objectKey} took ${clock() - writtenAt} ms, too close to the GC grace period of ${objectGraceMs} ms`,
    )
  }
  const offsetIndex = buildOffsetIndex(content.bytes, first.baseOffset)
  const entry: SegmentEntry = {
    baseOffset: first.baseOffset,
    lastOffset: last.lastOffset,
    recordCount: content.recordCount,
    objectKey,
    byteOffset: 0,
    byteLength: content.bytes.byteLength,
    minTimestamp: content.minTimestamp,
    maxTimestamp: content.maxTimestamp,
    formats: content.formats,
    ...(offsetIndex !== '' && { offsetIndex }),
    createdAt: replaced.reduce((earliest, entry) => Math.min(earliest, entry.createdAt), clock()),
    ...(content.deleteHorizon !== undefined && { deleteHorizon: content.deleteHorizon }),
  }
  await context.rewriter.replace(lease, topic.topicId, partition, replaced, entry)
  return entry
}
