import { RetriableStorageError, SluiceError, StorageError } from '../errors.ts'
import type { LogRecord, TimestampType } from '../log/record.ts'
import { encodeRecordBatch } from '../log/record-batch.ts'
import { timestampRange } from '../log/timestamp-range.ts'
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

/** One partition's share of a request: its records, encoded as one batch. */
interface PartitionBatch {
  readonly partition: number
  /** Positions of the batch's records in the request, in log order. */
  readonly indices: readonly number[]
  readonly timestamps: readonly number[]
  readonly bytes: Buffer
  readonly byteOffset: number
  readonly formats: string
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
    const objectKey = ingestObjectKey(topic.topicId)
    // Bytes first: an object no index item points to is invisible, and GC reclaims it.
    // Heads are read only after the upload, as close to the commit as possible:
    // read during it, they went stale and tripled lost races in the benchmark.
    await this.objects.put(objectKey, Buffer.concat(batches.map((batch) => batch.bytes)))

    const outcomes: AppendOutcome[] = new Array(records.length)
    const failures: unknown[] = []
    // DynamoDB caps a transaction at 100 items, so very wide requests commit in slices.
    for (let i = 0; i < batches.length; i += MAX_PARTITIONS_PER_COMMIT) {
      const slice = batches.slice(i, i + MAX_PARTITIONS_PER_COMMIT)
      try {
        const bases = await this.commit(topic, slice, objectKey, now)
        this.options.metrics.recordsProduced(
          slice.reduce((n, batch) => n + batch.indices.length, 0),
        )
        for (const batch of slice) {
          const base = bases.get(batch.partition) ?? 0
          batch.indices.forEach((index, position) => {
            const timestamp = batch.timestamps[position] ?? now
            outcomes[index] = {
              ok: true,
              partition: batch.partition,
              offset: base + position,
              timestamp,
            }
          })
        }
      } catch (error) {
        failures.push(error)
        for (const batch of slice) {
          for (const index of batch.indices)
            outcomes[index] = { ok: false, error: asSluiceError(error) }
        }
      }
    }
    // With nothing committed the request simply failed; otherwise each record reports its own fate.
    if (failures.length === Math.ceil(batches.length / MAX_PARTITIONS_PER_COMMIT)) throw failures[0]
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
    let byteOffset = 0
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
      const batch: PartitionBatch = {
        partition,
        indices,
        timestamps: logRecords.map((record) => record.timestamp),
        bytes,
        byteOffset,
        formats,
      }
      byteOffset += bytes.length
      return batch
    })
  }

  /** Commits one slice, re-reading heads after each lost race; returns each partition's base offset. */
  private async commit(
    topic: TopicItem,
    batches: readonly PartitionBatch[],
    objectKey: string,
    now: number,
  ): Promise<Map<number, number>> {
    // Measured from before the upload: no commit ever references an object older
    // than this, which is what lets garbage collection's grace period be safe.
    const deadline = now + this.options.commitTimeoutMs
    const partitions = batches.map((batch) => batch.partition)
    for (let attempt = 0; ; attempt++) {
      if (this.options.clock() >= deadline) {
        throw new RetriableStorageError(
          `Could not commit to topic '${topic.name}' within ${this.options.commitTimeoutMs} ms (partitions stayed contended); these records were not stored.`,
        )
      }
      const heads = await this.heads.read(topic.topicId, partitions)
      const bases = new Map(partitions.map((p) => [p, heads.get(p)?.logEndOffset ?? 0]))
      const appends: PartitionAppend[] = batches.map((batch) => {
        const baseOffset = bases.get(batch.partition) ?? 0
        return {
          partition: batch.partition,
          entry: {
            baseOffset,
            lastOffset: baseOffset + batch.indices.length - 1,
            recordCount: batch.indices.length,
            objectKey,
            byteOffset: batch.byteOffset,
            byteLength: batch.bytes.length,
            ...timestampRange(batch.timestamps),
            formats: batch.formats,
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

function asSluiceError(error: unknown): SluiceError {
  if (error instanceof SluiceError) return error
  return storageErrorFor(error) ?? new StorageError('Storage request failed.')
}
