/** The earliest and latest of some timestamps. */
export interface TimestampRange {
  readonly minTimestamp: number
  readonly maxTimestamp: number
}

/**
 * The range of the timestamps given, in one pass. Spreading them into
 * Math.min/Math.max instead passes each as an argument, and a partition's
 * records in one request can outnumber what the call stack takes.
 */
export function timestampRange(timestamps: Iterable<number>): TimestampRange {
  let minTimestamp = Number.POSITIVE_INFINITY
  let maxTimestamp = Number.NEGATIVE_INFINITY
  for (const timestamp of timestamps) {
    if (timestamp < minTimestamp) minTimestamp = timestamp
    if (timestamp > maxTimestamp) maxTimestamp = timestamp
  }
  return { minTimestamp, maxTimestamp }
}
