import { RetriableStorageError, SluiceError, StorageError } from '../errors.ts'
import type { LogRecord, TimestampType } from '../log/record.ts'
import { encodeRecordBatch } from '../log/record-batch.ts'
import { type BackoffPolicy, backoff } from '../storage/backoff.ts'
import { ingestObjectKey } from '../storage/keys.ts'
import {
  CommitConflictError,
  type LogCommitter,
  MAX_PARTITIONS_PER_COMMIT,
  type PartitionAppend,
} from '../storage/log-commit.ts'
import type { ObjectStore } from '../storage/object-store.ts'
import type { PartitionHeads } from '../storage/partition-heads.ts'
import { storageErrorFor } from '../storage/storage-errors.ts'
import type { TopicItem } from '../storage/topic-table.ts'
import { type BrokerMetrics, NO_BROKER_METRICS } from './broker-metrics.ts'
import { assignPartitions } from './partitioner.ts'
import { encodeFormatRuns } from './payload-formats.ts'
import type { AppendedRecord, ProduceRecord } from './produce-record.ts'
import { topicConfigValue } from './topic-configs.ts'

/** Per record: where it landed, or why it did not. Records of one partition share a fate. */
export type AppendOutcome =
  | ({ readonly ok: true } & AppendedRecord)
  | { readonly ok: false; readonly error: SluiceError }

export interface AppenderOptions {
  /**
   * How long after a request's upload starts it may still commit, retrying lost
   * races. Garbage collection's grace period must exceed it by a wide margin.
   */
  readonly commitTimeoutMs: number
  readonly backoff: BackoffPolicy
  readonly clock: () => number
  readonly random: () => number
  readonly metrics: BrokerMetrics
}

export const DEFAULT_APPENDER_OPTIONS: AppenderOptions = {
  commitTimeoutMs: 20_000,
  backoff: { baseMs: 5, capMs: 250 },
  clock: Date.now,
  random: Math.random,
  metrics: NO_BROKER_METRICS,
}

/**
 * One partition's share of a request, as RecordBatch v2 bytes whose offsets
 * count from 0 at its first batch: batches Sluice encoded, or batches a Kafka
 * client sent.
 */
export interface EncodedRange {
  readonly partition: number
  readonly bytes: Buffer
  readonly recordCount: number
  readonly minTimestamp: number
  readonly maxTimestamp: number
  /** The records' payload formats (payload-formats.ts); '' when all are plain bytes. */
  readonly formats: string
}

export type RangeOutcome =
  | { readonly ok: true; readonly baseOffset: number }
  | { readonly ok: false; readonly error: SluiceError }

/** A range encoded here from a request's records. */
interface PartitionBatch extends EncodedRange {
  /** Positions of the batch's records in the request, in log order. */
  readonly indices: readonly number[]
  readonly timestamps: readonly number[]
}

/**
 * The produce path. Every partition's batch goes into one new S3 object, which
 * no reader can see until a DynamoDB transaction assigns its offsets; only
 * after that commit is any record acknowledged.
 */
export class LogAppender {
  private readonly options: AppenderOptions

  constructor(
    private readonly objects: ObjectStore,
    private readonly heads: PartitionHeads,
    private readonly committer: LogCommitter,
    options: Partial<AppenderOptions> = {},
  ) {
    this.options = { ...DEFAULT_APPENDER_OPTIONS, ...options }
  }

  async append(topic: TopicItem, records: readonly ProduceRecord[]): Promise<AppendOutcome[]> {
    if (records.length === 0) return []
    const now = this.options.clock()
    const batches = this.encode(topic, records, now)
    const stored = await this.store(topic, batches, now)
    const outcomes: AppendOutcome[] = new Array(records.length)
    batches.forEach((batch, b) => {
      const outcome = stored[b] as RangeOutcome
      batch.indices.forEach((index, position) => {
        outcomes[index] = outcome.ok
          ? {
              ok: true,
              partition: batch.partition,
              offset: outcome.baseOffset + position,
              timestamp: batch.timestamps[position] ?? now,
            }
          : outcome
      })
    })
    return outcomes
  }

  /** Appends ranges already encoded, one per partition; each range gets its base offset or its error. */
  async appendEncoded(topic: TopicItem, ranges: readonly EncodedRange[]): Promise<RangeOutcome[]> {
    if (ranges.length === 0) return []
    return this.store(topic, ranges, this.options.clock())
  }

  /**
   * Uploads the ranges as one object, then commits them. With nothing
   * committed the request simply failed; otherwise each range reports its own fate.
   */
  private async store(
    topic: TopicItem,
    ranges: readonly EncodedRange[],
    now: number,
  ): Promise<RangeOutcome[]> {
    const objectKey = ingestObjectKey(topic.topicId)
    // Bytes first: an object no index item points to is invisible, and GC reclaims it.
    // Heads are read only after the upload, as close to the commit as possible:
    // read during it, they went stale and tripled lost races in the benchmark.
    await this.objects.put(objectKey, Buffer.concat(ranges.map((range) => range.bytes)))
    const placed: PlacedRange[] = []
    let byteOffset = 0
    for (const range of ranges) {
      placed.push({ range, byteOffset })
      byteOffset += range.bytes.length
    }

    const outcomes: RangeOutcome[] = []
    const failures: unknown[] = []
    // DynamoDB caps a transaction at 100 items, so very wide requests commit in slices.
    for (let i = 0; i < placed.length; i += MAX_PARTITIONS_PER_COMMIT) {
      const slice = placed.slice(i, i + MAX_PARTITIONS_PER_COMMIT)
      try {
        const bases = await this.commit(topic, slice, objectKey, now)
        this.options.metrics.recordsProduced(
          slice.reduce((n, { range }) => n + range.recordCount, 0),
        )
        for (const { range } of slice) {
          outcomes.push({ ok: true, baseOffset: bases.get(range.partition) ?? 0 })
        }
      } catch (error) {
        failures.push(error)
        for (const _ of slice) outcomes.push({ ok: false, error: asSluiceError(error) })
      }
    }
    if (failures.length === Math.ceil(placed.length / MAX_PARTITIONS_PER_COMMIT)) throw failures[0]
    return outcomes
  }

  private encode(
    topic: TopicItem,
    records: readonly ProduceRecord[],
    now: number,
  ): PartitionBatch[] {
    const timestampType = topicConfigValue(topic.configs, 'message.timestamp.type') as TimestampType
    const partitions = assignPartitions(records, topic.partitionsCount, this.options.random)
    const byPartition = new Map<number, number[]>()
    partitions.forEach((partition, index) => {
      const indices = byPartition.get(partition) ?? []
      indices.push(index)
      byPartition.set(partition, indices)
    })
    return [...byPartition].map(([partition, indices]) => {
      const logRecords: LogRecord[] = indices.map((index) => {
        const record = records[index] as ProduceRecord
        return {
          key: record.key?.bytes ?? null,
          value: record.value?.bytes ?? null,
          headers: record.headers,
          timestamp: timestampType === 'LogAppendTime' ? now : (record.timestamp ?? now),
        }
      })
      const bytes = encodeRecordBatch(logRecords, { timestampType, appendTime: now })
      const formats = encodeFormatRuns(
        indices.map((index) => {
          const record = records[index] as ProduceRecord
          return { key: record.key?.format ?? 'BINARY', value: record.value?.format ?? 'BINARY' }
        }),
      )
      const timestamps = logRecords.map((record) => record.timestamp)
      return {
        partition,
        indices,
        timestamps,
        bytes,
        recordCount: indices.length,
        minTimestamp: Math.min(...timestamps),
        maxTimestamp: Math.max(...timestamps),
        formats,
      }
    })
  }

  /** Commits one slice, re-reading heads after each lost race; returns each partition's base offset. */
  private async commit(
    topic: TopicItem,
    batches: readonly PlacedRange[],
    objectKey: string,
    now: number,
  ): Promise<Map<number, number>> {
    // Measured from before the upload: no commit ever references an object older
    // than this, which is what lets garbage collection's grace period be safe.
    const deadline = now + this.options.commitTimeoutMs
    const partitions = batches.map(({ range }) => range.partition)
    for (let attempt = 0; ; attempt++) {
      if (this.options.clock() >= deadline) {
        throw new RetriableStorageError(
          `Could not commit to topic '${topic.name}' within ${this.options.commitTimeoutMs} ms (partitions stayed contended); these records were not stored.`,
        )
      }
      const heads = await this.heads.read(topic.topicId, partitions)
      const bases = new Map(partitions.map((p) => [p, heads.get(p)?.logEndOffset ?? 0]))
      const appends: PartitionAppend[] = batches.map(({ range, byteOffset }) => {
        const baseOffset = bases.get(range.partition) ?? 0
        return {
          partition: range.partition,
          entry: {
            baseOffset,
            lastOffset: baseOffset + range.recordCount - 1,
            recordCount: range.recordCount,
            objectKey,
            byteOffset,
            byteLength: range.bytes.length,
            minTimestamp: range.minTimestamp,
            maxTimestamp: range.maxTimestamp,
            formats: range.formats,
            createdAt: now,
          },
        }
      })
      try {
        await this.committer.commit(topic.topicId, appends, this.options.clock())
        return bases
      } catch (error) {
        if (!(error instanceof CommitConflictError)) throw error
        this.options.metrics.commitConflict()
        await backoff(attempt, this.options.backoff)
      }
    }
  }
}

/** A range and where it sits in the request's object. */
interface PlacedRange {
  readonly range: EncodedRange
  readonly byteOffset: number
}

function asSluiceError(error: unknown): SluiceError {
  if (error instanceof SluiceError) return error
  return storageErrorFor(error) ?? new StorageError('Storage request failed.')
}
