import { setTimeout as sleep } from 'node:timers/promises'
import { LRUCache } from 'lru-cache'
import { OffsetOutOfRangeError } from '../errors.ts'
import type { StoredRecord } from '../log/record.ts'
import { decodeOwnedRecordBatches } from '../log/record-batch.ts'
import { partitionKey } from '../storage/keys.ts'
import { chunkFor, decodeOffsetIndex } from '../storage/offset-index.ts'
import type {
  PartitionHead,
  PartitionHeads,
  SegmentEntry,
  SegmentIndex,
} from '../storage/ports/log.ts'
import { ObjectNotFoundError, type ObjectStore } from '../storage/ports/objects.ts'
import type { TopicItem } from '../storage/ports/topics.ts'
import { type BrokerMetrics, NO_BROKER_METRICS } from './broker-metrics.ts'
import { fetchChunk } from './entry-chunks.ts'
import { FetchWindow, type Wanting } from './fetch-window.ts'
import { walkIndex } from './index-walk.ts'
import { decodeFormatRuns, type RecordFormats } from './payload-formats.ts'

export type StartPosition =
  | { readonly kind: 'offset'; readonly offset: number }
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' }
  | { readonly kind: 'timestamp'; readonly timestamp: number }

export interface ReadRequest {
  readonly start: StartPosition
  readonly maxRecords: number
  /** Soft cap on keys, values and headers returned; the first record is returned whatever its size. */
  readonly maxBytes: number
  /** How long an empty read may wait for new records (long poll). */
  readonly timeoutMs: number
}

export interface ReadRecord extends StoredRecord {
  readonly formats: RecordFormats
}

export interface ReadResult {
  readonly records: readonly ReadRecord[]
  /** The offset to read from next: past the last record returned and any removed offsets after it. */
  readonly nextOffset: number
  readonly logStartOffset: number
  readonly logEndOffset: number
}

export interface ReaderOptions {
  /** Index entries fetched from S3 at once. */
  readonly fetchConcurrency: number
  readonly pollIntervalMs: { readonly min: number; readonly max: number }
  readonly clock: () => number
  readonly metrics: BrokerMetrics
}

export const DEFAULT_READER_OPTIONS: ReaderOptions = {
  fetchConcurrency: 8,
  pollIntervalMs: { min: 50, max: 500 },
  clock: Date.now,
  metrics: NO_BROKER_METRICS,
}

/** What one read collected: its records and where the next read starts. */
interface Collected {
  readonly records: ReadRecord[]
  readonly nextOffset: number
}

/**
 * How many times in a row one read follows an entry to its replacement: each
 * time needs a rewrite and a garbage collection to land in between.
 */
const MAX_RELOCATIONS = 3

/**
 * Where reads stopped inside an entry, remembered so that the next read from
 * there (a consumer's next page) skips the lookup of that entry. Short-lived:
 * an entry a rewrite has since replaced still holds the same offsets' bytes,
 * but a compacted replacement should be read soon after it lands.
 */
const RESUMES = { max: 10_000, ttl: 30_000 }

/** Which records of an entry a read wants: from an offset, about so many records or bytes. */
interface Wanted extends Wanting {
  readonly from: number
}

/** An entry's records from its start to its end, whatever their number. */
const WHOLE: Wanted = {
  from: 0,
  records: Number.POSITIVE_INFINITY,
  bytes: Number.POSITIVE_INFINITY,
}

/** Records fetched from an entry, and the last offset the fetched bytes cover. */
interface Loaded {
  readonly records: readonly ReadRecord[]
  readonly through: number
}

const BINARY: RecordFormats = { key: 'BINARY', value: 'BINARY' }

function recordBytes(record: StoredRecord): number {
  let size = (record.key?.length ?? 0) + (record.value?.length ?? 0)
  for (const header of record.headers) size += header.key.length + (header.value?.length ?? 0)
  return size
}

/**
 * The fetch path: find the index entry holding an offset, range-GET its bytes,
 * and give the records their absolute offsets, which exist only in the index.
 */
export class LogReader {
  private readonly options: ReaderOptions
  private readonly resumes = new LRUCache<string, SegmentEntry>(RESUMES)

  constructor(
    private readonly segments: SegmentIndex,
    private readonly objects: ObjectStore,
    private readonly heads: PartitionHeads,
    options: Partial<ReaderOptions> = {},
  ) {
    this.options = { ...DEFAULT_READER_OPTIONS, ...options }
  }

  /**
   * Reads from the partition; `knownHead` is its head when the caller has just
   * read it (with other partitions' heads, in one request), saving the read here.
   */
  async read(
    topic: TopicItem,
    partition: number,
    request: ReadRequest,
    knownHead?: PartitionHead,
  ): Promise<ReadResult> {
    let head = knownHead ?? (await this.heads.readOne(topic.topicId, partition))
    const offset = await this.resolve(topic, partition, request.start, head)
    if (offset < head.logStartOffset || offset > head.logEndOffset) {
      throw new OffsetOutOfRangeError(offset, head.logStartOffset, head.logEndOffset)
    }
    if (offset === head.logEndOffset && request.timeoutMs > 0) {
      head = await this.waitForRecords(topic, partition, offset, request.timeoutMs)
    }
    const { records, nextOffset } =
      offset < head.logEndOffset
        ? await this.collect(topic, partition, offset, request)
        : { records: [], nextOffset: offset }
    this.options.metrics.recordsRead(records.length)
    return {
      records,
      nextOffset,
      logStartOffset: head.logStartOffset,
      logEndOffset: Math.max(head.logEndOffset, nextOffset),
    }
  }

  /** The heads of some partitions of a topic, read together. */
  headsOf(topic: TopicItem, partitions: readonly number[]): Promise<Map<number, PartitionHead>> {
    return this.heads.read(topic.topicId, partitions)
  }

  /** The first offset whose record has a timestamp at or after `timestamp`, else the log end. */
  async offsetForTimestamp(
    topic: TopicItem,
    partition: number,
    timestamp: number,
  ): Promise<number> {
    const head = await this.heads.readOne(topic.topicId, partition)
    return this.resolve(topic, partition, { kind: 'timestamp', timestamp }, head)
  }

  private async resolve(
    topic: TopicItem,
    partition: number,
    start: StartPosition,
    head: PartitionHead,
  ): Promise<number> {
    switch (start.kind) {
      case 'offset':
        return start.offset
      case 'earliest':
        return head.logStartOffset
      case 'latest':
        return head.logEndOffset
      case 'timestamp':
        for await (const entry of this.entriesFrom(topic, partition, head.logStartOffset)) {
          if (entry.maxTimestamp < start.timestamp) continue
          const match = (await this.load(topic, partition, entry, WHOLE)).records.find(
            (record) => record.timestamp >= start.timestamp,
          )
          if (match) return match.offset
        }
        return head.logEndOffset
    }
  }

  private async waitForRecords(
    topic: TopicItem,
    partition: number,
    offset: number,
    timeoutMs: number,
  ): Promise<PartitionHead> {
    const deadline = this.options.clock() + timeoutMs
    const { min, max } = this.options.pollIntervalMs
    let interval = min
    for (;;) {
      const remaining = deadline - this.options.clock()
      if (remaining <= 0) break
      await sleep(Math.min(interval, remaining))
      interval = Math.min(max, interval * 2)
      const head = await this.heads.readOne(topic.topicId, partition)
      if (head.logEndOffset > offset) return head
    }
    return this.heads.readOne(topic.topicId, partition)
  }

  /**
   * The records from `offset` on, and the offset to read from next. Like a
   * Kafka fetch, the next offset moves past offsets compaction removed: once
   * every record of an entry is taken, it is the entry's end, so a reader
   * whose remaining entries hold no records still reaches the log end.
   */
  private async collect(
    topic: TopicItem,
    partition: number,
    offset: number,
    request: ReadRequest,
  ): Promise<Collected> {
    const records: ReadRecord[] = []
    let bytes = 0
    // The next offset to return: never one below it, even if a rewrite hands back a span already read.
    let next = offset
    const resumeKey = (at: number) => `${partitionKey(topic.topicId, partition)}@${at}`
    const entries = this.entriesFrom(topic, partition, offset, this.resumes.get(resumeKey(offset)))
    // Returns what was collected; stopping inside `entry`, remembers it for the read that goes on.
    const stop = (entry?: SegmentEntry): Collected => {
      if (entry && next <= entry.lastOffset) this.resumes.set(resumeKey(next), entry)
      return { records, nextOffset: next }
    }
    const remaining = (): Wanting => ({
      records: request.maxRecords - records.length,
      bytes: request.maxBytes - bytes,
    })
    const fetches = new FetchWindow(entries, this.options.fetchConcurrency, (entry) =>
      this.load(topic, partition, entry, {
        from: Math.max(next, entry.baseOffset),
        ...remaining(),
      }),
    )
    try {
      for (;;) {
        await fetches.fill(remaining())
        const fetching = fetches.take()
        if (fetching === undefined) return { records, nextOffset: next }
        const { entry } = fetching
        const { records: fetched, through } = await fetching.loaded
        for (const record of fetched) {
          if (record.offset < next) continue
          const size = recordBytes(record)
          if (records.length > 0 && bytes + size > request.maxBytes) return stop(entry)
          records.push(record)
          bytes += size
          next = record.offset + 1
          if (records.length >= request.maxRecords) return stop(entry)
        }
        next = Math.max(next, through + 1)
        // Only part of the entry was fetched: the next read goes on from there.
        if (through < entry.lastOffset) return stop(entry)
      }
    } catch (error) {
      // Retention dropped what lay beyond the records read so far: they stand, the next read hears why.
      if (error instanceof OffsetOutOfRangeError && records.length > 0) {
        return { records, nextOffset: next }
      }
      throw error
    } finally {
      await entries.return(undefined)
    }
  }

  private entriesFrom(topic: TopicItem, partition: number, offset: number, holder?: SegmentEntry) {
    const sources = { segments: this.segments, heads: this.heads }
    const { fetchConcurrency } = this.options
    return walkIndex(sources, topic.topicId, partition, offset, fetchConcurrency, holder)
  }

  /**
   * The records of an entry found in the index, from `want.from` on, and the
   * last offset the fetched bytes cover: the entry's last, unless its offset
   * index let only part of it be fetched. Maintenance may have replaced the
   * entry since, and garbage collection deleted its object: the same offsets
   * are then read from the entries that hold them now. An entry that still
   * names the missing object was not replaced, and its loss is reported.
   */
  private async load(
    topic: TopicItem,
    partition: number,
    entry: SegmentEntry,
    want: Wanted,
    relocations = 0,
  ): Promise<Loaded> {
    try {
      return await this.fetch(entry, want)
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError) || relocations >= MAX_RELOCATIONS) throw error
      const records: ReadRecord[] = []
      for await (const current of this.entriesFrom(topic, partition, entry.baseOffset)) {
        if (current.objectKey === entry.objectKey) throw error
        const whole = { ...WHOLE, from: current.baseOffset }
        const relocated = await this.load(topic, partition, current, whole, relocations + 1)
        for (const record of relocated.records) {
          if (record.offset >= entry.baseOffset && record.offset <= entry.lastOffset) {
            records.push(record)
          }
        }
        if (current.lastOffset >= entry.lastOffset) break
      }
      return { records, through: entry.lastOffset }
    }
  }

  /**
   * Range-GETs the entry's bytes, or with an offset index only the chunks that
   * hold `want.from` and about as much as is wanted after it: chunk after
   * chunk while none holds a record from there on (compaction leaves gaps).
   */
  private async fetch(entry: SegmentEntry, want: Wanted): Promise<Loaded> {
    const points = decodeOffsetIndex(entry.offsetIndex ?? '')
    const formats = decodeFormatRuns(entry.formats, entry.recordCount)
    for (let from = want.from; ; ) {
      const chunk = chunkFor(points, entry.byteLength, from - entry.baseOffset, want)
      const { bytes, shift } = await fetchChunk(this.objects, entry, chunk)
      // Fields named rather than spread: a page builds thousands of these.
      const records = decodeOwnedRecordBatches(bytes).map(
        ({ offset, key, value, headers, timestamp }, i): ReadRecord => ({
          offset: offset + shift,
          key,
          value,
          headers,
          timestamp,
          formats: formats[chunk.from.recordPosition + i] ?? BINARY,
        }),
      )
      const through =
        chunk.endOffsetDelta === undefined
          ? entry.lastOffset
          : entry.baseOffset + chunk.endOffsetDelta - 1
      if (through >= entry.lastOffset || records.some((record) => record.offset >= from)) {
        return { records, through }
      }
      from = through + 1
    }
  }
}
