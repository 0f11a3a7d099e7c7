import { readBatchHeader } from '../log/record-batch.ts'

/**
 * A sparse offset index for a segment, kept on its index item like Kafka's
 * .index file beside a log segment: every so many bytes, where a batch starts.
 * A reader range-GETs from the last batch at or before the offset it wants to
 * about as far as it wants, instead of the whole segment.
 *
 * Encoded as `offsetDelta.recordPosition.bytePosition` points joined by
 * commas, e.g. `"130.130.131210,261.261.262470"`; the segment's first batch
 * (0.0.0) is implied.
 */
export interface IndexPoint {
  /** The batch's base offset, counted from the entry's base offset. */
  readonly offsetDelta: number
  /** Records stored before the batch in the segment (fewer than offsets once compacted). */
  readonly recordPosition: number
  /** Where the batch starts in the entry's bytes. */
  readonly bytePosition: number
}

/**
 * Bytes between points. A read fetches up to about this much before and after
 * what it needs; a 4 MiB segment gets 64 points, some 1.3 KB of its index item
 * (a third of a read unit on each Query that returns it), against a whole
 * 4 MiB GET for every page read from it without them.
 */
export const OFFSET_INDEX_STRIDE_BYTES = 64 * 1024

const START: IndexPoint = { offsetDelta: 0, recordPosition: 0, bytePosition: 0 }

/** The index of a segment's bytes, whose first batch holds `baseOffset`; '' when it needs none. */
export function buildOffsetIndex(
  bytes: Uint8Array,
  baseOffset: number,
  stride = OFFSET_INDEX_STRIDE_BYTES,
): string {
  const points: string[] = []
  let records = 0
  let lastPoint = 0
  for (let position = 0; position < bytes.length; ) {
    const header = readBatchHeader(bytes, position)
    if (position - lastPoint >= stride) {
      points.push(`${header.baseOffset - baseOffset}.${records}.${position}`)
      lastPoint = position
    }
    records += header.recordsCount
    position += header.length + 12 // the length field counts what follows it
  }
  return points.join(',')
}

export function decodeOffsetIndex(encoded: string): IndexPoint[] {
  if (encoded === '') return []
  return encoded.split(',').map((point) => {
    const [offsetDelta, recordPosition, bytePosition] = point.split('.').map(Number)
    if (
      !Number.isSafeInteger(offsetDelta) ||
      !Number.isSafeInteger(recordPosition) ||
      !Number.isSafeInteger(bytePosition)
    ) {
      throw new RangeError(`Malformed offset index point '${point}'`)
    }
    return {
      offsetDelta: offsetDelta as number,
      recordPosition: recordPosition as number,
      bytePosition: bytePosition as number,
    }
  })
}

/** What to fetch of an entry: from a batch start up to a batch start or the end. */
export interface Chunk {
  readonly from: IndexPoint
  /** Where the fetch ends, exclusive; the entry's length when it runs to the end. */
  readonly endByte: number
  /** The offset delta of the first batch past the chunk; undefined when it runs to the end. */
  readonly endOffsetDelta: number | undefined
}

/**
 * The chunk of an entry to fetch for records from `offsetDelta` on, wanting
 * about `records` records or `bytes` bytes: from the last point at or before
 * the offset to the first point past it where that many offsets or bytes are
 * covered. It always holds the batch with the offset, if any.
 */
export function chunkFor(
  points: readonly IndexPoint[],
  entryLength: number,
  offsetDelta: number,
  want: { readonly records: number; readonly bytes: number },
): Chunk {
  let from = START
  for (const point of points) {
    if (point.offsetDelta > offsetDelta) break
    from = point
  }
  for (const point of points) {
    if (point.bytePosition <= from.bytePosition || point.offsetDelta <= offsetDelta) continue
    if (
      point.offsetDelta - offsetDelta >= want.records ||
      point.bytePosition - from.bytePosition >= want.bytes
    ) {
      return { from, endByte: point.bytePosition, endOffsetDelta: point.offsetDelta }
    }
  }
  return { from, endByte: entryLength, endOffsetDelta: undefined }
}
