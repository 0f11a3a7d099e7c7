import { murmur2 } from './murmur2.ts'

/** Kafka's `Utils.toPositive`: clears the sign bit rather than taking abs, which overflows. */
export function toPositive(n: number): number {
  return n & 0x7fffffff
}

/** The partition Kafka's default partitioner (and kafkajs's) picks for a keyed record. */
export function partitionForKey(key: Uint8Array, partitionCount: number): number {
  if (!Number.isInteger(partitionCount) || partitionCount < 1) {
    throw new RangeError(`partition count must be a positive integer, got ${partitionCount}`)
  }
  return toPositive(murmur2(key)) % partitionCount
}
