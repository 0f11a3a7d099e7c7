import type { RecordHeader } from '../log/record.ts'
import type { SchemaFormat, SchemalessFormat } from './payload-formats.ts'

/** The registry schema a payload was serialized with. */
export interface PayloadSchema {
  readonly id: number
  /** The subject version it was chosen as, when the producer chose it through a subject. */
  readonly subjectVersion?: SubjectVersionRef
}

export interface SubjectVersionRef {
  readonly subject: string
  readonly version: number
}

/** A key or value as the producer sent it: bytes, and what they were said to be. */
export type Payload =
  | { readonly format: SchemalessFormat; readonly bytes: Uint8Array }
  | { readonly format: SchemaFormat; readonly bytes: Uint8Array; readonly schema: PayloadSchema }

/** A record on its way into the log, before a partition and offset are known. */
export interface ProduceRecord {
  /** Set when the producer chose the partition; otherwise the partitioner does. */
  readonly partition?: number
  readonly key: Payload | null
  readonly value: Payload | null
  readonly headers: readonly RecordHeader[]
  /** CreateTime from the producer, ms since the epoch; defaults to the broker's clock. */
  readonly timestamp?: number
  /** The record's sequence on its partition, from an idempotent producer. */
  readonly sequence?: number
}

export interface AppendedRecord {
  readonly partition: number
  readonly offset: number
  readonly timestamp: number
}
