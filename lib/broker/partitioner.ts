import { partitionForKey } from '../common/partitioner.ts'
import type { ProduceRecord } from './produce-record.ts'

/**
 * Chooses each record's partition the way Kafka's default partitioner does:
 * an explicit partition wins, a key hashes with murmur2, and records without a
 * key stick to one partition for the whole request (Kafka's sticky partitioner
 * does the same per batch), so a request writes as few partitions as it can.
 */
export function assignPartitions(
  records: readonly ProduceRecord[],
  partitionsCount: number,
  random: () => number = Math.random,
): number[] {
  let sticky: number | undefined
  return records.map((record) => {
    if (record.partition !== undefined) return record.partition
    if (record.key !== null) return partitionForKey(record.key.bytes, partitionsCount)
    sticky ??= Math.floor(random() * partitionsCount)
    return sticky
  })
}
