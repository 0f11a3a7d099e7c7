/**
 * What a Kafka Fetch answers from the stored batches, on the memory engine:
 * whole batches up to the byte limit, and no more bytes fetched than could fit.
 */
import { describe, expect, it, vi } from 'vitest'
import { createBroker } from '../../../lib/broker/broker.ts'
import { produce } from '../../../lib/broker/produce.ts'
import { readStoredBatches } from '../../../lib/kafka/gateway/stored-batches.ts'
import { batchByteLength, readBatchHeader } from '../../../lib/log/record-batch.ts'
import { createServices } from '../../../lib/runtime/services.ts'
import { memoryStorage } from '../../../lib/storage/memory/storage-engine.ts'

/** A topic of one partition holding three produce requests of `values` each: three entries, a batch each. */
async function threeBatches(values: number) {
  const broker = createBroker(memoryStorage())
  const topic = await broker.topics.create({ name: 'fetched', partitionsCount: 1 })
  for (let request = 0; request < 3; request++) {
    const records = Array.from({ length: values }, (_, i) => ({
      key: null,
      value: { format: 'BINARY' as const, bytes: Buffer.alloc(100 + i, request) },
      headers: [],
      partition: 0,
    }))
    await produce(broker.appender, topic, records)
  }
  const all = await readStoredBatches(broker, topic, 0, 0, Number.MAX_SAFE_INTEGER)
  const sizes: number[] = []
  for (let position = 0; position < all.length; position += sizes.at(-1) ?? 0) {
    sizes.push(batchByteLength(readBatchHeader(all, position)))
  }
  return { broker, topic, all, sizes: sizes as [number, number, number] }
}

describe('readStoredBatches', () => {
  it('answers whole batches up to the limit, the first whatever its size', async () => {
    const { broker, topic, all, sizes } = await threeBatches(5)
    const [first, second] = sizes
    expect(sizes).toHaveLength(3)
    const read = (maxBytes: number) => readStoredBatches(broker, topic, 0, 0, maxBytes)
    expect(await read(first + second)).toEqual(all.subarray(0, first + second))
    expect(await read(first + second - 1)).toEqual(all.subarray(0, first))
    expect(await read(first + 60)).toEqual(all.subarray(0, first))
    expect(await read(1)).toEqual(all.subarray(0, first))
  })

  it('sets each batch’s base offset to where it sits in the log', async () => {
    const { broker, topic, all, sizes } = await threeBatches(4)
    const from = await readStoredBatches(broker, topic, 0, 5, Number.MAX_SAFE_INTEGER)
    expect(from).toEqual(all.subarray(sizes[0]))
    expect(readBatchHeader(from).baseOffset).toBe(4)
    expect(readBatchHeader(from, sizes[1]).baseOffset).toBe(8)
  })

  it('fetches of an entry past the first batch only what could still fit', async () => {
    const { broker, topic, sizes } = await threeBatches(5)
    const getRange = vi.spyOn(broker.objects, 'getRange')
    await readStoredBatches(broker, topic, 0, 0, sizes[0] + 200)
    expect(getRange.mock.calls.map(([, , length]) => length)).toEqual([sizes[0], 200])
    getRange.mockClear()
    await readStoredBatches(broker, topic, 0, 0, sizes[0] + 60)
    expect(getRange.mock.calls.map(([, , length]) => length)).toEqual([sizes[0]])
  })

  it('answers from a merged segment, read chunk by chunk of its offset index, as from the batches whole', async () => {
    const { broker, maintenance } = createServices(memoryStorage(), {
      maintenance: { log: () => {} },
    })
    const topic = await broker.topics.create({ name: 'merged', partitionsCount: 1 })
    for (let request = 0; request < 40; request++) {
      const records = Array.from({ length: 10 }, () => ({
        key: null,
        value: { format: 'BINARY' as const, bytes: Buffer.alloc(1000, request) },
        headers: [],
        partition: 0,
      }))
      await produce(broker.appender, topic, records)
    }
    await maintenance.run({ tasks: ['merge'], budgetMs: 60_000, topics: [topic.name] })
    const entries = []
    for await (const entry of broker.segments.scan(topic.topicId, 0)) entries.push(entry)
    const [segment, ...others] = entries
    expect(others).toEqual([])
    expect(segment?.offsetIndex).toBeTruthy()

    const all = await readStoredBatches(broker, topic, 0, 0, Number.MAX_SAFE_INTEGER)
    const batches: { offset: number; last: number; bytes: Buffer }[] = []
    for (let position = 0; position < all.length; ) {
      const header = readBatchHeader(all, position)
      const end = position + batchByteLength(header)
      const last = header.baseOffset + header.lastOffsetDelta
      batches.push({ offset: header.baseOffset, last, bytes: all.subarray(position, end) })
      position = end
    }
    /** Whole batches from the one holding `offset`, while they fit, the first whatever its size. */
    const expected = (offset: number, maxBytes: number) => {
      const taken: Buffer[] = []
      let size = 0
      for (const batch of batches.filter((b) => b.last >= offset)) {
        if (taken.length > 0 && size + batch.bytes.length > maxBytes) break
        taken.push(batch.bytes)
        size += batch.bytes.length
      }
      return Buffer.concat(taken)
    }
    for (const offset of [0, 95, 250, 399]) {
      for (const maxBytes of [1, 30_000, 64 * 1024, 100_000, 300_000, 1 << 20]) {
        const read = await readStoredBatches(broker, topic, 0, offset, maxBytes)
        expect(read.equals(expected(offset, maxBytes)), `${offset}, ${maxBytes}`).toBe(true)
      }
    }
  })
})
