import type { StartPosition } from '../broker/reader.ts'
import type { OffsetOutOfRangeError, SluiceError } from '../errors.ts'
import { NoOffsetForPartitionError } from './errors.ts'

/** auto.offset.reset: where to start when there is no committed offset, or it is outside the log. */
export const AUTO_OFFSET_RESETS = ['earliest', 'latest', 'none'] as const
export type AutoOffsetReset = (typeof AUTO_OFFSET_RESETS)[number]

/** Kafka's default for auto.offset.reset. */
export const DEFAULT_AUTO_OFFSET_RESET: AutoOffsetReset = 'latest'

/**
 * Where auto.offset.reset sends a consumer that has no usable offset in a
 * partition: the log start or end; `none` refuses, with the reason as the error
 * to report (the offset was out of range, or there was none).
 */
export function resetStart(
  reset: AutoOffsetReset,
  partition: string,
  outOfRange?: OffsetOutOfRangeError,
): StartPosition | SluiceError {
  switch (reset) {
    case 'earliest':
      return { kind: 'earliest' }
    case 'latest':
      return { kind: 'latest' }
    case 'none':
      return (
        outOfRange ??
        new NoOffsetForPartitionError(
          `No committed offset for ${partition}, and auto.offset.reset is none: set a position first.`,
        )
      )
  }
}
