export interface RecordHeader {
  readonly key: string
  readonly value: Uint8Array | null
}

export interface LogRecord {
  readonly key: Uint8Array | null
  readonly value: Uint8Array | null
  readonly headers: readonly RecordHeader[]
  /** Milliseconds since the Unix epoch. */
  readonly timestamp: number
}

export interface StoredRecord extends LogRecord {
  readonly offset: number
}

export type TimestampType = 'CreateTime' | 'LogAppendTime'
