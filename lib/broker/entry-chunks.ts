import { ByteReader } from '../log/varint.ts'
import type { Chunk } from '../storage/offset-index.ts'
import type { SegmentEntry } from '../storage/ports/log.ts'
import type { ObjectStore } from '../storage/ports/objects.ts'

/** A chunk of an entry's bytes, whole batches, and what to add to their stored offsets. */
export interface FetchedChunk {
  readonly bytes: Uint8Array
  /**
   * Stored offsets count from the first batch of an ingest range, and are the
   * log's own in a segment; the index holds where the chunk really starts.
   */
  readonly shift: number
}

/**
 * Range-GETs one chunk of an entry (see offset-index.ts), or its first bytes
 * up to `endByte`, which may end inside a batch: only the first batch's base
 * offset (its first 8 bytes) needs to be there.
 */
export async function fetchChunk(
  objects: ObjectStore,
  entry: SegmentEntry,
  chunk: Pick<Chunk, 'from' | 'endByte'>,
): Promise<FetchedChunk> {
  const start = chunk.from.bytePosition
  const bytes = await objects.getRange(
    entry.objectKey,
    entry.byteOffset + start,
    chunk.endByte - start,
  )
  const shift = entry.baseOffset + chunk.from.offsetDelta - new ByteReader(bytes, 0).int64()
  return { bytes, shift }
}
