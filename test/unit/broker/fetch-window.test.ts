import { describe, expect, it } from 'vitest'
import { FetchWindow } from '../../../lib/broker/fetch-window.ts'
import type { SegmentEntry } from '../../../lib/storage/ports/log.ts'

/** Entries of `records` records of `bytes` bytes each, one after another from offset 0. */
function entries(count: number, records = 10, bytes = 1000): SegmentEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    baseOffset: i * records,
    lastOffset: (i + 1) * records - 1,
    recordCount: records,
    objectKey: `segment-${i}`,
    byteOffset: 0,
    byteLength: bytes,
    minTimestamp: 0,
    maxTimestamp: 0,
    formats: '',
    createdAt: 0,
  }))
}

async function* walk(list: readonly SegmentEntry[], failAfter?: Error) {
  yield* list
  if (failAfter) throw failAfter
}

/** A load that stays pending until released, remembering which entries were started. */
function loads() {
  const started: string[] = []
  const release = new Map<string, () => void>()
  const load = (entry: SegmentEntry) => {
    started.push(entry.objectKey)
    return new Promise<string>((resolve) =>
      release.set(entry.objectKey, () => resolve(entry.objectKey)),
    )
  }
  return { started, release: (key: string) => release.get(key)?.(), load }
}

const PLENTY = { records: 1_000_000, bytes: 1_000_000_000 }

describe('FetchWindow', () => {
  it('keeps at most `concurrency` fetches going and starts the next as one is taken', async () => {
    const { started, load } = loads()
    const window = new FetchWindow(walk(entries(5)), 2, load)
    await window.fill(PLENTY)
    expect(started).toEqual(['segment-0', 'segment-1'])
    expect(window.take()?.entry.objectKey).toBe('segment-0')
    await window.fill(PLENTY)
    expect(started).toEqual(['segment-0', 'segment-1', 'segment-2'])
  })

  it('hands fetches back in offset order, whichever finishes first', async () => {
    const { release, load } = loads()
    const window = new FetchWindow(walk(entries(3)), 3, load)
    await window.fill(PLENTY)
    release('segment-2')
    release('segment-1')
    release('segment-0')
    const order: string[] = []
    for (let fetching = window.take(); fetching; fetching = window.take()) {
      order.push(await fetching.loaded)
    }
    expect(order).toEqual(['segment-0', 'segment-1', 'segment-2'])
  })

  it('starts no more fetches than the records or bytes still wanted need, but always one', async () => {
    const { started, load } = loads()
    const window = new FetchWindow(walk(entries(8, 10, 1000)), 8, load)
    await window.fill({ records: 25, bytes: 1_000_000 })
    expect(started).toHaveLength(3)
    window.take()
    await window.fill({ records: 25, bytes: 1_500 })
    expect(started).toHaveLength(3)
    window.take()
    window.take()
    await window.fill({ records: 1, bytes: 1 })
    expect(started).toHaveLength(4)
  })

  it('is empty once the entries run out', async () => {
    const { load } = loads()
    const window = new FetchWindow(walk(entries(1)), 4, load)
    await window.fill(PLENTY)
    expect(window.take()?.entry.objectKey).toBe('segment-0')
    await window.fill(PLENTY)
    expect(window.take()).toBeUndefined()
  })

  it('throws what stopped the entries only after the fetches started before it are taken', async () => {
    const { load } = loads()
    const failure = new Error('index unreadable')
    const window = new FetchWindow(walk(entries(2), failure), 4, load)
    await window.fill(PLENTY)
    expect(window.take()?.entry.objectKey).toBe('segment-0')
    expect(window.take()?.entry.objectKey).toBe('segment-1')
    expect(() => window.take()).toThrow(failure)
  })
})
