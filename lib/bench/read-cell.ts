import { performance } from 'node:perf_hooks'
import { READ_LIMITS } from '../http/v3/records.ts'
import type { ProduceCell } from './cells.ts'
import { type CellContext, cellTopic } from './context.ts'
import type { ReadPage } from './http-client.ts'
import { measurement, totalVolume } from './measurement.ts'
import type { ReadResult } from './results.ts'

/** Pages as large as the read API allows, as a consumer catching up would ask for. */
const PAGE = { maxRecords: READ_LIMITS.maxRecords.max, maxBytes: READ_LIMITS.maxBytes.max }

/**
 * Reads partition 0 of a produced cell's topic from offset 0 to its end, one
 * page after another through `GET .../records`, as a single consumer would.
 */
export async function runReadCell(context: CellContext, cell: ProduceCell): Promise<ReadResult> {
  const { client, counter } = context
  const { broker } = context.services
  const topic = cellTopic(cell)
  const partition = 0
  const item = await broker.topics.describe(topic)
  const { logEndOffset } = await broker.topics.offsets(item, partition)
  let segments = 0
  for await (const _ of broker.segments.scan(item.topicId, partition)) segments++

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
  return {
    cellId: cell.id,
    topic,
    partition,
    segments,
    s3BytesPerValueByte: fetched / read.valueBytes,
    read,
  }
}
