/** The parts of the API's answers the console reads. */

/** maintenance:run answers with the report the maintenance run made. */
export type { MaintenanceReport } from '../../maintenance/report.ts'

export interface List<T> {
  readonly data: readonly T[]
}

export interface Topic {
  readonly topic_name: string
  readonly partitions_count: number
}

export interface PartitionOffsets {
  readonly earliest_offset: number
  readonly latest_offset: number
}

export interface TopicConfig {
  readonly name: string
  readonly value: string | null
  readonly is_default: boolean
}

export type PayloadType = 'BINARY' | 'JSON' | 'STRING' | 'AVRO'

export interface Payload {
  readonly type: PayloadType
  readonly data: unknown
  readonly schema_id?: number
}

export interface Header {
  readonly name: string
  readonly value: string | null
}

export interface ReadRecord {
  readonly partition_id: number
  readonly offset: number
  readonly timestamp: string
  readonly key: Payload | null
  readonly value: Payload | null
  readonly headers: readonly Header[]
}

export interface ReadResult {
  readonly data: readonly ReadRecord[]
  readonly next_offset: number
  readonly earliest_offset: number
  readonly latest_offset: number
}

export interface Segment {
  readonly base_offset: number
  readonly last_offset: number
  readonly record_count: number
  readonly object_key: string
  readonly byte_length: number
  readonly min_timestamp: number
  readonly max_timestamp: number
  readonly created_at: number
}

export interface Segments {
  readonly log_start_offset: number
  readonly log_end_offset: number
  readonly data: readonly Segment[]
}

export interface ConsumerGroup {
  readonly consumer_group_id: string
  readonly state: string
  readonly partition_assignor: string
  readonly is_simple: boolean
}

export interface Consumer {
  readonly consumer_id: string
  readonly client_id: string
}

export interface Assignment {
  readonly topic_name: string
  readonly partition_id: number
}

export interface Lag {
  readonly topic_name: string
  readonly partition_id: number
  readonly current_offset: number
  readonly log_end_offset: number
  readonly lag: number
  readonly consumer_id: string
}

export interface LagSummary {
  readonly total_lag: number
  readonly max_lag: number
}

export interface ResetResult {
  readonly data: readonly { topic_name: string; partition_id: number; offset: number }[]
}

export interface SubjectVersion {
  readonly subject: string
  readonly version: number
  readonly id: number
  readonly schema: string
}

export interface Compatibility {
  readonly is_compatible: boolean
  readonly messages?: readonly string[]
}
