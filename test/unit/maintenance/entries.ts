import type { SegmentEntry } from '../../../lib/storage/ports/log.ts'

export const T0 = 1_700_000_000_000

/**
 * Index entries laid end to end from `baseOffset`: one per size given, each
 * holding `recordsEach` records whose timestamps are T0 plus the entry's position in seconds.
 */
export function entries(sizes: readonly number[], { baseOffset = 0, recordsEach = 2 } = {}) {
  return sizes.map(
    (byteLength, i): SegmentEntry => ({
      baseOffset: baseOffset + i * recordsEach,
      lastOffset: baseOffset + (i + 1) * recordsEach - 1,
      recordCount: recordsEach,
      objectKey: `object-${baseOffset + i}`,
      byteOffset: 0,
      byteLength,
      minTimestamp: T0 + i * 1000,
      maxTimestamp: T0 + i * 1000 + 500,
      formats: '',
      createdAt: T0,
    }),
  )
}
