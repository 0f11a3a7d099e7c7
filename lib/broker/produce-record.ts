import type { RecordHeader } from '../log/record.ts'
import type { PayloadFormat } from './payload-formats.ts'

/** A key or value as the producer sent it: bytes, and what they were said to be. */
export interface Payload {
  readonly format: PayloadFormat
  readonly bytes: Uint8Array
}

/** A record on its way into the log, before a partition and offset are known. */
export interface ProduceRecord {
  /** Set when the producer chose the partition; otherwise the partitioner does. */
  readonly partition?: number
  readonly key: Payload | null
  readonly value: Payload | null
  readonly headers: readonly RecordHeader[]
  /** CreateTime from the producer, ms since the epoch; defaults to the broker's clock. */
  readonly timestamp?: number
}

export interface AppendedRecord {
  readonly partition: number
  readonly offset: number
  readonly timestamp: number
}
