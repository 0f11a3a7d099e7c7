/**
 * Reads a partition's batches as they are stored, for Kafka's Fetch: no
 * decoding and no re-encoding, only each batch's base offset set to where it
 * sits in the log (a field outside the CRC).
 */
import type { Broker } from '../../broker/broker.ts'
import { type FetchedChunk, fetchChunk } from '../../broker/entry-chunks.ts'
import { FetchWindow } from '../../broker/fetch-window.ts'
import { walkIndex } from '../../broker/index-walk.ts'
import { DEFAULT_READER_OPTIONS } from '../../broker/reader.ts'
import {
  batchByteLength,
  RECORD_BATCH_OVERHEAD,
  readBatchHeader,
  wholeBatchHeader,
  withBaseOffset,
} from '../../log/record-batch.ts'
import { chunkFor, decodeOffsetIndex, type IndexPoint } from '../../storage/offset-index.ts'
import type { SegmentEntry } from '../../storage/ports/log.ts'
import type { TopicItem } from '../../storage/ports/topics.ts'

/** Index entries looked up per query, and GETs under way at once, as the read API's reader has them. */
const { fetchConcurrency } = DEFAULT_READER_OPTIONS

/** What of an entry a fetch GETs: from a batch start to a batch start, the entry's end, or as far as fits. */
interface Range {
  readonly from: IndexPoint
  readonly endByte: number
  /** Cut short to the bytes still free: it may end inside a batch, one that would not have fit. */
  readonly cut: boolean
  /** The offset delta of the entry's next chunk (offset-index.ts), if the range ends at one. */
  readonly nextDelta: number | undefined
  /** Bytes the answer surely gains from the range if the read goes on past it. */
  readonly sure: number
}

/** A range and its bytes, or nothing when no batch of the entry could still fit. */
type Loaded = { readonly range: Range; readonly fetched: FetchedChunk } | undefined

/** The batches of an answer, whole, in offset order, up to a byte limit. */
class Answer {
  readonly batches: Buffer[] = []
  size = 0

  constructor(
    private readonly offset: number,
    readonly maxBytes: number,
  ) {}

  /** Bytes still free; a batch may exceed them only as the first of the answer. */
  get free(): number {
    return this.maxBytes - this.size
  }

  /**
   * Adds the batches of `bytes` from the fetch offset on, as long as they fit;
   * false once one did not. A range cut to the free bytes may end inside a
   * batch, one that would not have fit.
   */
  add({ bytes, shift }: FetchedChunk, cut: boolean): boolean {
    for (let position = 0; position < bytes.length; ) {
      const header = cut ? wholeBatchHeader(bytes, position) : readBatchHeader(bytes, position)
      if (header === undefined) return false
      const end = position + batchByteLength(header)
      const baseOffset = header.baseOffset + shift
      if (baseOffset + header.lastOffsetDelta >= this.offset) {
        if (this.batches.length > 0 && end - position > this.free) return false
        this.batches.push(withBaseOffset(bytes.subarray(position, end), baseOffset))
        this.size += end - position
      }
      position = end
    }
    return !cut
  }
}

/**
 * Whole batches from the one holding `offset` on, up to `maxBytes` (the first
 * batch is returned whatever its size, as Kafka does, so a consumer never
 * sticks on a batch larger than its fetch size). A consumer skips records
 * below its fetch offset within the first batch.
 *
 * Entries are fetched several at once, as the read API's reader does; each
 * only as far as a batch could end and still fit, counting what the entries
 * before it surely add, so that no GET brings bytes the answer cannot hold.
 */
export async function readStoredBatches(
  broker: Broker,
  topic: TopicItem,
  partition: number,
  offset: number,
  maxBytes: number,
): Promise<Buffer> {
  const answer = new Answer(offset, maxBytes)
  // Bytes the ranges under way surely add, if the read goes on past them.
  let ahead = 0
  const load = async (entry: SegmentEntry): Promise<Loaded> => {
    const range = rangeOf(entry, offset, answer.free - ahead, answer.size + ahead === 0)
    if (range === undefined) return undefined
    ahead += range.sure
    return { range, fetched: await fetchChunk(broker.objects, entry, range) }
  }
  const sources = { segments: broker.segments, heads: broker.heads }
  const entries = walkIndex(sources, topic.topicId, partition, offset, fetchConcurrency)
  const fetches = new FetchWindow(entries, fetchConcurrency, load)
  try {
    while (answer.free > 0) {
      await fetches.fill({ records: Number.POSITIVE_INFINITY, bytes: answer.free })
      const fetching = fetches.take()
      const loaded = await fetching?.loaded
      if (fetching === undefined || loaded === undefined) break
      const { range, fetched } = loaded
      ahead -= range.sure
      if (!answer.add(fetched, range.cut)) break
      if (range.nextDelta !== undefined) {
        const rest = fetching.entry.baseOffset + range.nextDelta
        if (!(await addRest(broker, fetching.entry, rest, answer))) break
      }
    }
  } finally {
    await entries.return(undefined)
  }
  return Buffer.concat(answer.batches)
}

/**
 * The range of `entry` to GET with `free` bytes left after what the answer
 * surely holds before it. While the answer may still be empty (`first`), a
 * chunk of the offset index holding `maxBytes` (or the whole entry without
 * one), as any batch holding the offset must come whole; after that, the
 * entry from its start to as far as a batch could end and still fit.
 */
function rangeOf(
  entry: SegmentEntry,
  offset: number,
  free: number,
  first: boolean,
): Range | undefined {
  if (!first && free < RECORD_BATCH_OVERHEAD) return undefined
  const points = decodeOffsetIndex(entry.offsetIndex ?? '')
  const delta = Math.max(offset, entry.baseOffset) - entry.baseOffset
  const chunk = chunkFor(points, entry.byteLength, delta, {
    records: Number.POSITIVE_INFINITY,
    bytes: free,
  })
  const start = chunk.from.bytePosition
  const endByte = first ? chunk.endByte : Math.min(chunk.endByte, start + free)
  const cut = endByte < chunk.endByte
  // Batches below the offset are skipped, so only a range starting at or after it surely adds its bytes.
  const sure = entry.baseOffset + chunk.from.offsetDelta >= offset ? endByte - start : 0
  const nextDelta = cut ? undefined : chunk.endOffsetDelta
  return { from: chunk.from, endByte, cut, nextDelta, sure }
}

/**
 * Adds an entry's batches from offset `from` on, chunk after chunk of its
 * offset index, as far as they fit; false once one did not.
 */
async function addRest(
  broker: Broker,
  entry: SegmentEntry,
  from: number,
  answer: Answer,
): Promise<boolean> {
  for (let at = from; answer.free > 0; ) {
    const range = rangeOf(entry, at, answer.free, answer.size === 0)
    if (range === undefined) return false
    if (!answer.add(await fetchChunk(broker.objects, entry, range), range.cut)) return false
    if (range.nextDelta === undefined) return true
    at = entry.baseOffset + range.nextDelta
  }
  return false
}
