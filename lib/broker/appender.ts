import { type BackoffPolicy, backoff } from '../common/backoff.ts'
import {
  CommitOutcomeUnknownError,
  RecordListTooLargeError,
  RetriableStorageError,
  SluiceError,
  StorageError,
} from '../errors.ts'
import type { LogRecord, TimestampType } from '../log/record.ts'
import { encodeRecordBatch } from '../log/record-batch.ts'
import { timestampRange } from '../log/timestamp-range.ts'
import { ingestObjectKey, partitionKey } from '../storage/keys.ts'
import {
  CommitConflictError,
  type LogCommitter,
  MAX_ENTRIES_PER_RUN,
  MAX_IDEMPOTENT_PARTITIONS_PER_COMMIT,
  MAX_PARTITIONS_PER_COMMIT,
  type PartitionAppend,
  type PartitionHeads,
  type SegmentEntry,
} from '../storage/ports/log.ts'
import type { ObjectStore } from '../storage/ports/objects.ts'
import type { ProducerStateWrite, ProducerStore, ProducerView } from '../storage/ports/producers.ts'
import type { TopicItem } from '../storage/ports/topics.ts'
import {
  checkSequence,
  type ProducerIdentity,
  type SequencedBatch,
  type SequenceVerdict,
  stateAfterAppend,
} from '../storage/producer-sequences.ts'
import { type BrokerMetrics, NO_BROKER_METRICS } from './broker-metrics.ts'
import { KnownLogEnds } from './known-log-ends.ts'
import { PartitionTurns } from './partition-turns.ts'
import { assignPartitions } from './partitioner.ts'
import { encodeFormatRuns, MAX_FORMAT_RUNS_LENGTH } from './payload-formats.ts'
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
  /** The range's sequences, when an idempotent producer sent it. */
  readonly sequence?: SequencedBatch | undefined
}

/** How ranges already encoded are appended. */
export interface EncodedAppendOptions {
  /** The idempotent producer session that sent the ranges: each range then carries its sequences. */
  readonly producer?: ProducerIdentity | undefined
  /** The broker time of the append, when the caller already wrote it into LogAppendTime batches. */
  readonly appendTime?: number
}

export type RangeOutcome =
  /** `appendTime`: when the range was appended, by its first send for a range sent again. */
  | { readonly ok: true; readonly baseOffset: number; readonly appendTime: number }
  | { readonly ok: false; readonly error: SluiceError }

/** A range encoded here from a request's records. */
interface PartitionBatch extends EncodedRange {
  /** Positions of the batch's records in the request, in log order. */
  readonly indices: readonly number[]
  /** The producer's CreateTime of each record, where it gave one. */
  readonly createTimes: readonly (number | undefined)[]
  readonly timestampType: TimestampType
}

/** A range and where it sits in the request's object. */
interface PlacedRange {
  readonly range: EncodedRange
  readonly byteOffset: number
}

/** How one partition's batch ended: stored (now, or by an earlier send of it), or refused. */
type BatchResult =
  | {
      readonly kind: 'stored'
      readonly duplicate: boolean
      readonly offsets: readonly number[]
      readonly appendTimes: readonly number[]
    }
  | { readonly kind: 'refused'; readonly error: SluiceError }

const APPEND: SequenceVerdict = { kind: 'append', fencesEpoch: false }

/** How a range waiting to be committed with others ended: at a base offset, or not stored. */
type GroupOutcome = { readonly baseOffset: number } | { readonly error: unknown }

/** A one-partition append without a producer id, waiting for its partition's turn. */
interface Waiting {
  readonly placed: PlacedRange
  readonly objectKey: string
  /** When its request started: its commit deadline counts from here. */
  readonly now: number
  readonly settle: (outcome: GroupOutcome) => void
}

/**
 * The produce path. Every partition's batch goes into one new S3 object, which
 * no reader can see until a DynamoDB transaction assigns its offsets; only
 * after that commit is any record acknowledged.
 *
 * With a producer id, the same transaction checks and advances the producer's
 * sequence on each partition (Kafka's idempotent producer): a batch sent again
 * gets the offsets it was stored at, a gap or a fenced epoch is refused.
 */
export class LogAppender {
  private readonly options: AppenderOptions
  private readonly ends: KnownLogEnds
  private readonly turns = new PartitionTurns()
  /** Per partition, appends waiting to be committed together by the next turn. */
  private readonly waiting = new Map<string, Waiting[]>()

  constructor(
    private readonly objects: ObjectStore,
    private readonly heads: PartitionHeads,
    private readonly committer: LogCommitter,
    private readonly producers: ProducerStore,
    options: Partial<AppenderOptions> = {},
  ) {
    this.options = { ...DEFAULT_APPENDER_OPTIONS, ...options }
    this.ends = new KnownLogEnds(this.options.clock)
  }

  /**
   * Appends the records; with `producer`, every record carries its partition
   * and sequence, and a partition's records carry consecutive sequences.
   */
  async append(
    topic: TopicItem,
    records: readonly ProduceRecord[],
    producer?: ProducerIdentity,
  ): Promise<AppendOutcome[]> {
    if (records.length === 0) return []
    const now = this.options.clock()
    const batches = this.encode(topic, records, now, producer)
    const tooLong = batches.map(formatRunsTooLong)
    const storable = batches.filter((_, b) => !tooLong[b])
    const results = storable.length === 0 ? [] : await this.store(topic, storable, now, producer)
    const outcomes: AppendOutcome[] = new Array(records.length)
    storable.forEach((batch, b) => {
      settle(batch, results[b] as BatchResult, outcomes)
    })
    batches.forEach((batch, b) => {
      const error = tooLong[b]
      if (error) settle(batch, { kind: 'refused', error }, outcomes)
    })
    return outcomes
  }

  /**
   * Appends ranges already encoded, one per partition; each range gets its base
   * offset or its error. With a producer, a range stored before gets its
   * original base offset and append time.
   */
  async appendEncoded(
    topic: TopicItem,
    ranges: readonly EncodedRange[],
    { producer, appendTime = this.options.clock() }: EncodedAppendOptions = {},
  ): Promise<RangeOutcome[]> {
    if (ranges.length === 0) return []
    const results = await this.store(topic, ranges, appendTime, producer)
    return results.map((result) =>
      result.kind === 'refused'
        ? { ok: false, error: result.error }
        : {
            ok: true,
            baseOffset: result.offsets[0] as number,
            appendTime: result.appendTimes[0] as number,
          },
    )
  }

  /**
   * Uploads the ranges as one object, then commits them. With nothing
   * committed the request simply failed; otherwise each range reports its own fate.
   */
  private async store(
    topic: TopicItem,
    ranges: readonly EncodedRange[],
    now: number,
    producer: ProducerIdentity | undefined,
  ): Promise<BatchResult[]> {
    const objectKey = ingestObjectKey(topic.topicId)
    // Bytes first: an object no index item points to is invisible, and GC reclaims it.
    // Heads are read (when not known) only after the upload, as close to the commit
    // as possible: read during it, they went stale and tripled lost races in the benchmark.
    await this.objects.put(objectKey, Buffer.concat(ranges.map((range) => range.bytes)))
    const placed: PlacedRange[] = []
    let byteOffset = 0
    for (const range of ranges) {
      placed.push({ range, byteOffset })
      byteOffset += range.bytes.length
    }

    const results: BatchResult[] = []
    const failures: unknown[] = []
    // DynamoDB caps a transaction at 100 items, so very wide requests commit in slices.
    const width = producer ? MAX_IDEMPOTENT_PARTITIONS_PER_COMMIT : MAX_PARTITIONS_PER_COMMIT
    for (let i = 0; i < placed.length; i += width) {
      const slice = placed.slice(i, i + width)
      try {
        const [only] = slice
        const committed =
          only && slice.length === 1 && !producer
            ? [await this.commitWithOthers(topic, only, objectKey, now)]
            : await this.turns.take(
                slice.map(({ range }) => partitionKey(topic.topicId, range.partition)),
                () => this.commit(topic, slice, objectKey, now, producer),
              )
        results.push(...committed)
        this.options.metrics.recordsProduced(
          committed.reduce(
            (n, result, position) =>
              result.kind === 'stored' && !result.duplicate
                ? n + (slice[position] as PlacedRange).range.recordCount
                : n,
            0,
          ),
        )
      } catch (error) {
        failures.push(error)
        for (const _ of slice) results.push({ kind: 'refused', error: asSluiceError(error) })
      }
    }
    if (failures.length === Math.ceil(placed.length / width)) throw failures[0]
    return results
  }

  private encode(
    topic: TopicItem,
    records: readonly ProduceRecord[],
    now: number,
    producer: ProducerIdentity | undefined,
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
      const batchRecords = indices.map((index) => records[index] as ProduceRecord)
      const createTimes = batchRecords.map((record) => record.timestamp)
      const timestamps = timestampsAt(timestampType, createTimes, now)
      const logRecords: LogRecord[] = batchRecords.map((record, position) => ({
        key: record.key?.bytes ?? null,
        value: record.value?.bytes ?? null,
        headers: record.headers,
        timestamp: timestamps[position] as number,
      }))
      const sequence = producer && sequencedBatch(partition, batchRecords)
      const bytes = encodeRecordBatch(logRecords, {
        timestampType,
        appendTime: now,
        ...(producer &&
          sequence && {
            producer: {
              producerId: producer.producerId,
              producerEpoch: producer.epoch,
              baseSequence: sequence.firstSequence,
            },
          }),
      })
      const formats = encodeFormatRuns(
        batchRecords.map((record) => ({
          key: record.key?.format ?? 'BINARY',
          value: record.value?.format ?? 'BINARY',
        })),
      )
      return {
        partition,
        indices,
        createTimes,
        timestampType,
        ...timestampRange(timestamps),
        bytes,
        recordCount: indices.length,
        formats,
        sequence,
      }
    })
  }

  /**
   * Commits one slice at the log ends this process knows, reading the heads it
   * does not know (and the producer's state); after a lost race, the heads that
   * lost are known again only from a commit of this process or a fresh read.
   * Returns each batch's result, in order.
   */
  private async commit(
    topic: TopicItem,
    batches: readonly PlacedRange[],
    objectKey: string,
    now: number,
    producer: ProducerIdentity | undefined,
  ): Promise<BatchResult[]> {
    // Measured from before the upload: no commit ever references an object older
    // than this, which is what lets garbage collection's grace period be safe.
    const deadline = now + this.options.commitTimeoutMs
    const partitions = batches.map(({ range }) => range.partition)
    let unanswered = false
    for (let attempt = 0; ; attempt++) {
      if (this.options.clock() >= deadline) throw this.timedOut(topic, unanswered)
      const [bases, view] = await Promise.all([
        this.logEnds(topic.topicId, partitions),
        producer && this.producers.view(producer.producerId, topic.topicId, partitions),
      ])
      const verdicts = batches.map(({ range }) => verdictFor(producer, view, range))
      const appending = batches.filter((_, i) => verdicts[i]?.kind === 'append')
      const appends: PartitionAppend[] = appending.map((placed) => ({
        partition: placed.range.partition,
        entry: entryAt(placed, objectKey, bases.get(placed.range.partition) ?? 0, now),
      }))
      try {
        await this.committer.commit(
          topic.topicId,
          appends,
          this.options.clock(),
          producer &&
            view && {
              identity: producer,
              writes: appending.map(({ range }) => stateWrite(producer, view, range, bases, now)),
              checkEpoch: verdicts.some((v) => v.kind === 'append' && v.fencesEpoch),
            },
        )
        for (const { partition, entry } of appends) {
          this.ends.saw(topic.topicId, partition, entry.lastOffset + 1)
        }
        return batches.map(({ range }, i) =>
          resultOf(range, verdicts[i] as SequenceVerdict, bases, now),
        )
      } catch (error) {
        if (error instanceof CommitConflictError) {
          this.options.metrics.commitConflict()
          for (const partition of error.partitions) {
            this.ends.lost(topic.topicId, partition, bases.get(partition) ?? 0)
          }
        } else if (error instanceof CommitOutcomeUnknownError && producer) {
          // The producer's state tells on the next round whether the commit landed.
          unanswered = true
        } else {
          throw error
        }
        await backoff(attempt, this.options.backoff)
      }
    }
  }

  /**
   * Commits a one-partition append without a producer id together with the
   * others waiting for the partition's turn: whichever turn comes first takes
   * every waiting append (up to a transaction's worth) into one transaction,
   * so a hot partition costs one head update per turn, not one per request.
   */
  private async commitWithOthers(
    topic: TopicItem,
    placed: PlacedRange,
    objectKey: string,
    now: number,
  ): Promise<BatchResult> {
    const { partition } = placed.range
    const key = partitionKey(topic.topicId, partition)
    const outcome = new Promise<GroupOutcome>((settle) => {
      const queue = this.waiting.get(key) ?? []
      queue.push({ placed, objectKey, now, settle })
      this.waiting.set(key, queue)
    })
    await this.turns.take([key], async () => {
      const queue = this.waiting.get(key) ?? []
      const group = queue.splice(0, MAX_ENTRIES_PER_RUN)
      if (queue.length === 0) this.waiting.delete(key)
      if (group.length > 0) await this.commitGroup(topic, partition, group)
    })
    const settled = await outcome
    if ('error' in settled) throw settled.error
    return resultOf(placed.range, APPEND, new Map([[partition, settled.baseOffset]]), now)
  }

  /** Commits the group's ranges one after another from the log end; settles every member. */
  private async commitGroup(
    topic: TopicItem,
    partition: number,
    group: readonly Waiting[],
  ): Promise<void> {
    let members = group
    try {
      for (let attempt = 0; ; attempt++) {
        const now = this.options.clock()
        // A member past its deadline was not stored, and is told so; the others go on.
        for (const late of members.filter((m) => now >= m.now + this.options.commitTimeoutMs)) {
          late.settle({ error: this.timedOut(topic, false) })
        }
        members = members.filter((m) => now < m.now + this.options.commitTimeoutMs)
        if (members.length === 0) return
        const ends = await this.logEnds(topic.topicId, [partition])
        let next = ends.get(partition) ?? 0
        const entries = members.map((member) => {
          const entry = entryAt(member.placed, member.objectKey, next, member.now)
          next = entry.lastOffset + 1
          return entry
        })
        try {
          await this.committer.commitRun(topic.topicId, partition, entries, now)
        } catch (error) {
          if (!(error instanceof CommitConflictError)) throw error
          this.options.metrics.commitConflict()
          this.ends.lost(topic.topicId, partition, entries[0]?.baseOffset ?? 0)
          await backoff(attempt, this.options.backoff)
          continue
        }
        this.ends.saw(topic.topicId, partition, next)
        members.forEach((member, i) => {
          member.settle({ baseOffset: (entries[i] as SegmentEntry).baseOffset })
        })
        return
      }
    } catch (error) {
      for (const member of members) member.settle({ error })
    }
  }

  /** Each partition's log end offset: the known one, else read (strongly consistent) from its head. */
  private async logEnds(
    topicId: string,
    partitions: readonly number[],
  ): Promise<Map<number, number>> {
    const ends = new Map<number, number>()
    const unknown: number[] = []
    for (const partition of partitions) {
      const guess = this.ends.guess(topicId, partition)
      if (guess === undefined) unknown.push(partition)
      else ends.set(partition, guess)
    }
    if (unknown.length === 0) return ends
    for (const [partition, head] of await this.heads.read(topicId, unknown)) {
      ends.set(partition, head.logEndOffset)
      this.ends.saw(topicId, partition, head.logEndOffset)
    }
    return ends
  }

  private timedOut(topic: TopicItem, unanswered: boolean): RetriableStorageError {
    const budget = `within ${this.options.commitTimeoutMs} ms`
    return new RetriableStorageError(
      unanswered
        ? `Could not confirm the commit to topic '${topic.name}' ${budget}: the records may be stored. Resending them with the same producer id, epoch and sequences is safe: a stored batch is answered with its offsets, never stored twice.`
        : `Could not commit to topic '${topic.name}' ${budget} (partitions stayed contended); these records were not stored.`,
    )
  }
}

/** The index entry of a placed range committed at `baseOffset`. */
function entryAt(
  { range, byteOffset }: PlacedRange,
  objectKey: string,
  baseOffset: number,
  createdAt: number,
): SegmentEntry {
  return {
    baseOffset,
    lastOffset: baseOffset + range.recordCount - 1,
    recordCount: range.recordCount,
    objectKey,
    byteOffset,
    byteLength: range.bytes.length,
    minTimestamp: range.minTimestamp,
    maxTimestamp: range.maxTimestamp,
    formats: range.formats,
    createdAt,
  }
}

/** What each record's timestamp is: the append time, or the producer's CreateTime when it gave one. */
function timestampsAt(
  type: TimestampType,
  createTimes: readonly (number | undefined)[],
  appendTime: number,
): number[] {
  return createTimes.map((time) => (type === 'LogAppendTime' ? appendTime : (time ?? appendTime)))
}

function sequencedBatch(partition: number, records: readonly ProduceRecord[]): SequencedBatch {
  const firstSequence = records[0]?.sequence
  if (firstSequence === undefined) {
    throw new Error(
      `An idempotent append needs a sequence on every record (partition ${partition})`,
    )
  }
  return { partition, firstSequence, count: records.length }
}

function verdictFor(
  producer: ProducerIdentity | undefined,
  view: ProducerView | undefined,
  batch: EncodedRange,
): SequenceVerdict {
  if (!producer || !view || !batch.sequence) return APPEND
  return checkSequence(producer, view.epoch, view.states.get(batch.partition), batch.sequence)
}

function stateWrite(
  producer: ProducerIdentity,
  view: ProducerView,
  batch: EncodedRange,
  bases: ReadonlyMap<number, number>,
  now: number,
): ProducerStateWrite {
  const previous = view.states.get(batch.partition)
  const base = bases.get(batch.partition) ?? 0
  return {
    partition: batch.partition,
    previous,
    next: stateAfterAppend(producer, previous, batch.sequence as SequencedBatch, base, now),
  }
}

function resultOf(
  batch: EncodedRange,
  verdict: SequenceVerdict,
  bases: ReadonlyMap<number, number>,
  now: number,
): BatchResult {
  if (verdict.kind === 'refused') return verdict
  if (verdict.kind === 'duplicate') {
    return {
      kind: 'stored',
      duplicate: true,
      offsets: verdict.offsets,
      appendTimes: verdict.appendTimes,
    }
  }
  const base = bases.get(batch.partition) ?? 0
  return {
    kind: 'stored',
    duplicate: false,
    offsets: Array.from({ length: batch.recordCount }, (_, position) => base + position),
    appendTimes: Array.from({ length: batch.recordCount }, () => now),
  }
}

/**
 * A batch's format runs go on its index item, which DynamoDB caps at 400 KB:
 * records that change format often enough make runs no item can hold, and
 * the partition's records are refused whole, as Kafka refuses a batch.
 */
function formatRunsTooLong(batch: PartitionBatch): RecordListTooLargeError | undefined {
  const length = batch.formats.length
  if (length <= MAX_FORMAT_RUNS_LENGTH) return undefined
  return new RecordListTooLargeError(
    `The ${batch.recordCount} records for partition ${batch.partition} change key or value format ${batch.formats.split(',').length - 1} times, ` +
      `which takes ${length} bytes to record, more than the ${MAX_FORMAT_RUNS_LENGTH} one batch can carry: nothing was stored for the partition. ` +
      'Send them in smaller requests, or with fewer changes of format.',
  )
}

function settle(batch: PartitionBatch, result: BatchResult, outcomes: AppendOutcome[]): void {
  batch.indices.forEach((index, position) => {
    if (result.kind === 'refused') {
      outcomes[index] = { ok: false, error: result.error }
      return
    }
    const appendTime = result.appendTimes[position] as number
    outcomes[index] = {
      ok: true,
      partition: batch.partition,
      offset: result.offsets[position] as number,
      timestamp: timestampsAt(
        batch.timestampType,
        [batch.createTimes[position]],
        appendTime,
      )[0] as number,
    }
  })
}

function asSluiceError(error: unknown): SluiceError {
  return error instanceof SluiceError ? error : new StorageError('Storage request failed.')
}
