import { describe, expect, it } from 'vitest'
import type { EncodedRecord } from '../../../lib/client/messages.ts'
import { RecordAccumulator } from '../../../lib/client/record-accumulator.ts'

function record(bytes: number, name: string): EncodedRecord & { name: string } {
  return { json: 'x'.repeat(bytes), bytes, name }
}

function accumulator(batchSize: number, maxRequestBytes = 1_000_000, lingerMs = 10) {
  return new RecordAccumulator<EncodedRecord & { name: string }>({
    lingerMs,
    batchSize,
    maxRequestBytes,
  })
}

const names = (drained: { record: { name: string } }[]) => drained.map((q) => q.record.name)

describe('RecordAccumulator', () => {
  it('is ready when a partition holds a full batch, or when its oldest record lingered', () => {
    const queue = accumulator(100)
    expect(queue.ready(0)).toBe(false)
    queue.append({ partition: 0, record: record(60, 'a'), queuedAt: 1000 })
    expect(queue.lingerDeadline()).toBe(1010)
    expect(queue.ready(1009)).toBe(false)
    expect(queue.ready(1010)).toBe(true)
    queue.append({ partition: 0, record: record(40, 'b'), queuedAt: 1005 })
    expect(queue.ready(1001)).toBe(true)
  })

  it('drains the first batch of every partition, in order, leaving the rest', () => {
    const queue = accumulator(100)
    for (const [partition, name] of [
      [0, 'a1'],
      [1, 'b1'],
      [0, 'a2'],
      [0, 'a3'],
      [1, 'b2'],
    ] as const) {
      queue.append({ partition, record: record(40, name), queuedAt: 0 })
    }
    // 40 + 40 fit a 100-byte batch; a third would not.
    expect(names(queue.drain())).toEqual(['a1', 'a2', 'b1', 'b2'])
    expect(queue.size).toBe(1)
    expect(names(queue.drain())).toEqual(['a3'])
    expect(queue.size).toBe(0)
    expect(queue.lingerDeadline()).toBeUndefined()
  })

  it('takes one record per partition with batch size 0, and always at least one', () => {
    const queue = accumulator(0)
    queue.append({ partition: 0, record: record(500, 'big'), queuedAt: 0 })
    queue.append({ partition: 0, record: record(1, 'small'), queuedAt: 0 })
    expect(queue.ready(0)).toBe(true)
    expect(names(queue.drain())).toEqual(['big'])
  })

  it('keeps a request under its byte limit, and lets the partition left out go first next time', () => {
    // Request overhead is 14 bytes plus a comma between entries: 14 + 40 + 1 + 40 = 95.
    const queue = accumulator(1000, 95)
    queue.append({ partition: 0, record: record(40, 'a'), queuedAt: 0 })
    queue.append({ partition: 1, record: record(40, 'b'), queuedAt: 0 })
    queue.append({ partition: 2, record: record(40, 'c'), queuedAt: 0 })
    expect(names(queue.drain())).toEqual(['a', 'b'])
    queue.append({ partition: 0, record: record(40, 'd'), queuedAt: 0 })
    expect(names(queue.drain())).toEqual(['c', 'd'])
  })
})
