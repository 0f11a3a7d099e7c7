/**
 * Reads a partition's batches as they are stored, for Kafka's Fetch: no
 * decoding and no re-encoding, only each batch's base offset set to where it
 * sits in the log (a field outside the CRC).
 */
import type { Broker } from '../../broker/broker.ts'
import { fetchChunk } from '../../broker/entry-chunks.ts'
import { walkIndex } from '../../broker/index-walk.ts'
import { batchByteLength, readBatchHeader, withBaseOffset } from '../../log/record-batch.ts'
import { chunkFor, decodeOffsetIndex } from '../../storage/offset-index.ts'
import type { TopicItem } from '../../storage/ports/topics.ts'

/** Index entries looked up per query; a fetch rarely needs more. */
const INDEX_PAGE = 8

/**
 * Whole batches from the one holding `offset` on, up to `maxBytes` (the first
 * batch is returned whatever its size, as Kafka does, so a consumer never
 * sticks on a batch larger than its fetch size). A consumer skips records
 * below its fetch offset within the first batch.
 */
export async function readStoredBatches(
  broker: Broker,
  topic: TopicItem,
  partition: number,
  offset: number,
  maxBytes: number,
): Promise<Buffer> {
  const batches: Buffer[] = []
  let size = 0
  const sources = { segments: broker.segments, heads: broker.heads }
  const entries = walkIndex(sources, topic.topicId, partition, offset, INDEX_PAGE)
  try {
    for await (const entry of entries) {
      const points = decodeOffsetIndex(entry.offsetIndex ?? '')
      // With an offset index, only the part of a segment from the batch holding `offset` is fetched.
      for (let from = Math.max(offset, entry.baseOffset); ; ) {
        const want = { records: Number.POSITIVE_INFINITY, bytes: maxBytes - size }
        const chunk = chunkFor(points, entry.byteLength, from - entry.baseOffset, want)
        const { bytes, shift } = await fetchChunk(broker.objects, entry, chunk)
        for (let position = 0; position < bytes.length; ) {
          const header = readBatchHeader(bytes, position)
          const end = position + batchByteLength(header)
          const baseOffset = header.baseOffset + shift
          if (baseOffset + header.lastOffsetDelta >= offset) {
            if (batches.length > 0 && size + (end - position) > maxBytes)
              return Buffer.concat(batches)
            batches.push(withBaseOffset(bytes.subarray(position, end), baseOffset))
            size += end - position
          }
          position = end
        }
        if (chunk.endOffsetDelta === undefined || size >= maxBytes) break
        from = entry.baseOffset + chunk.endOffsetDelta
      }
      if (size >= maxBytes) break
    }
  } finally {
    await entries.return(undefined)
  }
  return Buffer.concat(batches)
}
