import { performance } from 'node:perf_hooks'
import pMap from 'p-map'
import type { Broker } from '../../lib/broker/broker.ts'
import { DEFAULT_READER_OPTIONS } from '../../lib/broker/reader.ts'
import { READ_LIMITS } from '../../lib/http/v3/records.ts'
import type { SegmentEntry } from '../../lib/storage/ports/log.ts'
import type { ProduceCell } from './cells.ts'
import { type CellContext, cellTopic } from './context.ts'
import { fetchToEnd } from './fetch-read.ts'
import type { ReadPage } from './http-client.ts'
import { measurement, totalVolume } from './measurement.ts'
import type { FetchReadResult, Measurement, ReadResult } from './results.ts'

/** Pages as large as the read API allows, as a consumer catching up would ask for. */
const PAGE = { maxRecords: READ_LIMITS.maxRecords.max, maxBytes: READ_LIMITS.maxBytes.max }

/**
 * Reads partition 0 of a produced cell's topic from offset 0 to its end, one
 * page after another through `GET .../records`, as a single consumer would;
 * then the same bytes with plain range GETs, and the same records with Kafka
 * Fetch requests through the gateway.
 */
export async function runReadCell(context: CellContext, cell: ProduceCell): Promise<ReadResult> {
  const { client, counter } = context
  const { broker } = context.services
  const topic = cellTopic(cell)
  const partition = 0
  const item = await broker.topics.describe(topic)
  const { logEndOffset } = await broker.topics.offsets(item, partition)
  const entries: SegmentEntry[] = []
  for await (const entry of broker.segments.scan(item.topicId, partition)) entries.push(entry)

  counter.reset()
  const pages: ReadPage[] = []
  const latenciesMs: number[] = []
  const started = performance.now()
  for (let offset = 0; offset < logEndOffset; ) {
    const pageStarted = performance.now()
    const page = await client.readPage(topic, partition, offset, PAGE)
    latenciesMs.push(performance.now() - pageStarted)
    if (page.records === 0) throw new Error(`Read of '${topic}' stalled at offset ${offset}`)
    pages.push(page)
    offset = page.nextOffset
  }
  const run = { elapsedMs: performance.now() - started, latenciesMs }
  const read = measurement(run, totalVolume(pages), counter.snapshot())
  const fetched = read.counts
    .filter((count) => count.service === 'S3')
    .reduce((sum, count) => sum + count.bytesReceived, 0)
  const rawGetMs = await rawGets(broker, entries)
  const fetch = await fetchRead(context, topic, partition, logEndOffset, read)
  return {
    cellId: cell.id,
    topic,
    partition,
    segments: entries.length,
    s3BytesPerValueByte: fetched / read.valueBytes,
    read,
    rawGetMs,
    rawGetRatio: rawGetMs / read.elapsedMs,
    fetch: { ...fetch, rawGetRatio: rawGetMs / fetch.read.elapsedMs },
  }
}

/**
 * The same records read through the Kafka gateway with Fetch requests; their
 * value bytes are the REST read's, checked by the number of records.
 */
async function fetchRead(
  context: CellContext,
  topic: string,
  partition: number,
  logEndOffset: number,
  rest: Measurement,
): Promise<Omit<FetchReadResult, 'rawGetRatio'>> {
  context.counter.reset()
  const run = await fetchToEnd(context.kafkaBootstrap, topic, partition, 0, logEndOffset)
  if (run.records !== rest.records) {
    throw new Error(`Fetch read ${run.records} records of '${topic}', REST ${rest.records}`)
  }
  const volume = { requests: run.fetches, records: run.records, valueBytes: rest.valueBytes }
  return { read: measurement(run, volume, context.counter.snapshot()), batchBytes: run.batchBytes }
}

/**
 * How long plain range GETs of the partition's bytes take, as many at once as
 * the reader fetches: what a read would cost if it were nothing but its S3 transfers.
 */
async function rawGets(broker: Broker, entries: readonly SegmentEntry[]): Promise<number> {
  const started = performance.now()
  await pMap(
    entries,
    (entry) => broker.objects.getRange(entry.objectKey, entry.byteOffset, entry.byteLength),
    { concurrency: DEFAULT_READER_OPTIONS.fetchConcurrency },
  )
  return performance.now() - started
}
