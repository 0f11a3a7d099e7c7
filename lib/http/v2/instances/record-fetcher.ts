import { setTimeout as sleep } from 'node:timers/promises'
import type { LogReader, ReadRecord, StartPosition } from '../../../broker/reader.ts'
import { OffsetOutOfRangeError, type SluiceError } from '../../../errors.ts'
import { type AutoOffsetReset, resetStart } from '../../../groups/offset-reset.ts'
import type { TopicMetadata } from '../../../groups/topic-metadata.ts'
import {
  type PartitionKey,
  parsePartitionKey,
  partitionKeyOf,
  topicsOf,
} from '../../../groups/topic-partitions.ts'
import type { Position } from '../../../storage/ports/consumer-instances.ts'
import type { PartitionHead } from '../../../storage/ports/log.ts'
import type { CommittedOffset } from '../../../storage/ports/offsets.ts'
import type { TopicItem } from '../../../storage/ports/topics.ts'

export interface FetchLimits {
  readonly maxRecords: number
  /** Soft cap on keys, values and headers, as in LogReader. */
  readonly maxBytes: number
  /** How long to wait for records when none are there. */
  readonly timeoutMs: number
}

/** What a consumer holds and where it stands. */
export interface FetchRequest {
  readonly partitions: readonly PartitionKey[]
  readonly positions: Readonly<Record<PartitionKey, Position>>
  readonly autoOffsetReset: AutoOffsetReset
  /** The group's committed offsets, read only if some partition has no position yet. */
  readonly committed: () => Promise<readonly CommittedOffset[]>
}

/** The records read from one partition, and the position after them. */
export interface PartitionBatch {
  readonly key: PartitionKey
  readonly topic: string
  readonly partition: number
  readonly records: readonly ReadRecord[]
  readonly next: Position
}

export interface FetchResult {
  readonly batches: readonly PartitionBatch[]
  /** Why some partition could not be read (auto.offset.reset `none`); the others were. */
  readonly failure?: SluiceError
}

export interface FetcherOptions {
  readonly pollIntervalMs: { readonly min: number; readonly max: number }
  readonly clock: () => number
}

/**
 * Reads a consumer's partitions from their positions with LogReader, sharing
 * the record and byte budget among them. A partition without a position starts
 * from the group's committed offset, or where auto.offset.reset says, which is
 * also where a position the log no longer holds goes.
 */
export class RecordFetcher {
  constructor(
    private readonly metadata: TopicMetadata,
    private readonly reader: LogReader,
    private readonly options: FetcherOptions,
  ) {}

  async fetch(request: FetchRequest, limits: FetchLimits): Promise<FetchResult> {
    const topics = await this.metadata.readable(topicsOf(request.partitions.map(parsePartitionKey)))
    const readable = request.partitions.filter((key) => topics.has(parsePartitionKey(key).topic))
    if (readable.length === 0) return { batches: [] }
    const starts = await this.starts(request, readable, topics)
    const share = {
      maxRecords: Math.max(1, Math.floor(limits.maxRecords / readable.length)),
      maxBytes: Math.max(1, Math.floor(limits.maxBytes / readable.length)),
    }
    const deadline = this.options.clock() + limits.timeoutMs
    let interval = this.options.pollIntervalMs.min
    for (;;) {
      const heads = await this.headsOf(readable, topics)
      const reads = await Promise.all(
        readable.map((key) =>
          this.readPartition(key, topics, starts, request.autoOffsetReset, share, heads.get(key)),
        ),
      )
      const batches = reads.filter((read): read is PartitionBatch => !(read instanceof Error))
      const failure = reads.find((read): read is SluiceError => read instanceof Error)
      for (const batch of batches)
        starts.set(batch.key, { kind: 'offset', offset: batch.next.offset })
      const remaining = deadline - this.options.clock()
      const empty = batches.every((batch) => batch.records.length === 0)
      if (!empty || failure || remaining <= 0) return { batches, ...(failure && { failure }) }
      await sleep(Math.min(interval, remaining))
      interval = Math.min(this.options.pollIntervalMs.max, interval * 2)
    }
  }

  /** The partitions' heads, one request per topic rather than one per partition. */
  private async headsOf(
    keys: readonly PartitionKey[],
    topics: ReadonlyMap<string, TopicItem>,
  ): Promise<Map<PartitionKey, PartitionHead>> {
    const byTopic = new Map<string, number[]>()
    for (const key of keys) {
      const { topic, partition } = parsePartitionKey(key)
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition])
    }
    const heads = new Map<PartitionKey, PartitionHead>()
    await Promise.all(
      [...byTopic].map(async ([topic, partitions]) => {
        const read = await this.reader.headsOf(topics.get(topic) as TopicItem, partitions)
        for (const [partition, head] of read) heads.set(partitionKeyOf({ topic, partition }), head)
      }),
    )
    return heads
  }

  /** Where each partition starts: its position, else its committed offset, else the reset policy. */
  private async starts(
    request: FetchRequest,
    keys: readonly PartitionKey[],
    topics: ReadonlyMap<string, TopicItem>,
  ): Promise<Map<PartitionKey, StartPosition | SluiceError>> {
    const topicId = (key: PartitionKey) => topics.get(parsePartitionKey(key).topic)?.topicId
    const starts = new Map<PartitionKey, StartPosition | SluiceError>()
    const unpositioned = keys.filter((key) => request.positions[key]?.topicId !== topicId(key))
    const committed = new Map<PartitionKey, number>()
    if (unpositioned.length > 0) {
      for (const offset of await request.committed()) {
        const key = partitionKeyOf(offset)
        if (offset.topicId === topicId(key)) committed.set(key, offset.offset)
      }
    }
    for (const key of keys) {
      const position = request.positions[key]
      const offset =
        position && position.topicId === topicId(key) ? position.offset : committed.get(key)
      starts.set(
        key,
        offset !== undefined
          ? { kind: 'offset', offset }
          : resetStart(request.autoOffsetReset, key, undefined),
      )
    }
    return starts
  }

  private async readPartition(
    key: PartitionKey,
    topics: ReadonlyMap<string, TopicItem>,
    starts: ReadonlyMap<PartitionKey, StartPosition | SluiceError>,
    reset: AutoOffsetReset,
    share: { readonly maxRecords: number; readonly maxBytes: number },
    head: PartitionHead | undefined,
  ): Promise<PartitionBatch | SluiceError> {
    const { topic, partition } = parsePartitionKey(key)
    const item = topics.get(topic) as TopicItem
    const read = (start: StartPosition, knownHead?: PartitionHead) =>
      this.reader.read(item, partition, { start, ...share, timeoutMs: 0 }, knownHead)
    let start = starts.get(key) as StartPosition | SluiceError
    if (start instanceof Error) return start
    let result: Awaited<ReturnType<typeof read>>
    try {
      result = await read(start, head)
    } catch (error) {
      // A position the log no longer holds (retention moved the start past it) resets, as in
      // Kafka; from a head read afresh, as retention may have moved it since.
      if (!(error instanceof OffsetOutOfRangeError)) throw error
      start = resetStart(reset, key, error)
      if (start instanceof Error) return start
      result = await read(start)
    }
    return {
      key,
      topic,
      partition,
      records: result.records,
      next: { offset: result.nextOffset, topicId: item.topicId },
    }
  }
}
