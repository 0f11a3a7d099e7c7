import { describe, expect, it } from 'vitest'
import { type CompactionConfig, planCompaction } from '../../../lib/maintenance/compaction.ts'
import { entries, T0 } from './entries.ts'

const config: CompactionConfig = {
  minCompactionLagMs: 0,
  maxCompactionLagMs: Number.MAX_SAFE_INTEGER,
  minCleanableDirtyRatio: 0.5,
  deleteRetentionMs: 86_400_000,
  segmentBytes: 1 << 30,
  // Every entry is appended at T0, a minute before NOW: past this, none is still in the active head.
  segmentMs: 1,
}
const NOW = T0 + 60_000
const MiB = 1024 * 1024

describe('planCompaction', () => {
  it('treats a never compacted log as all dirty, and due', () => {
    const plan = planCompaction(entries([100, 100, 100]), { finishedAt: {} }, config, NOW, MiB)
    expect(plan.cleanable).toHaveLength(3)
    expect(plan.dirty).toHaveLength(3)
    expect(plan.dirtyRatio).toBe(1)
    expect(plan.cleanableEnd).toBe(6)
    expect(plan.due).toBe(true)
  })

  it('waits until dirty bytes pass min.cleanable.dirty.ratio, as Kafka does', () => {
    const log = entries([300, 100, 100]) // offsets 0-5; compacted up to 2
    const state = { cleanOffset: 2, finishedAt: {} }
    const plan = planCompaction(log, state, config, NOW, MiB)
    expect(plan.dirty.map((e) => e.baseOffset)).toEqual([2, 4])
    expect(plan.dirtyRatio).toBeCloseTo(0.4)
    expect(plan.due).toBe(false)
    expect(
      planCompaction(log, state, { ...config, minCleanableDirtyRatio: 0.3 }, NOW, MiB).due,
    ).toBe(true)
  })

  it('leaves entries younger than min.compaction.lag.ms out of the cleanable part', () => {
    // Entry i's newest record is at T0 + i s + 500 ms.
    const lag = { ...config, minCompactionLagMs: NOW - (T0 + 1500) }
    const plan = planCompaction(entries([100, 100, 100]), { finishedAt: {} }, lag, NOW, MiB)
    expect(plan.cleanable.map((e) => e.baseOffset)).toEqual([0, 2])
    expect(plan.cleanableEnd).toBe(4)
  })

  it('is due regardless of the ratio once a dirty record is older than max.compaction.lag.ms', () => {
    const log = entries([1000, 10])
    const state = { cleanOffset: 2, finishedAt: {} }
    expect(planCompaction(log, state, config, NOW, MiB).due).toBe(false)
    const maxLag = { ...config, maxCompactionLagMs: NOW - T0 - 1001 }
    expect(planCompaction(log, state, maxLag, NOW, MiB).due).toBe(true)
  })

  it('is due when kept tombstones reach their delete horizon, even with nothing dirty', () => {
    const state = { cleanOffset: 4, finishedAt: {} }
    expect(planCompaction(entries([100, 100]), state, config, NOW, MiB).due).toBe(false)
    const log = entries([100, 100]).map((entry, i) =>
      i === 1 ? { ...entry, deleteHorizon: NOW } : entry,
    )
    expect(planCompaction(log, state, config, NOW, MiB).due).toBe(true)
    expect(planCompaction(log, state, config, NOW - 1, MiB).due).toBe(false)
  })

  it('never cleans the active head: the newest entries within segment.bytes and segment.ms', () => {
    const log = entries([100, 100, 100, 100])
    const open = { ...config, segmentMs: NOW - T0 + 1 }
    // Only the newest entry fits in 150 bytes; the entry before it has left the head.
    const bySize = planCompaction(log, { finishedAt: {} }, { ...open, segmentBytes: 150 }, NOW, MiB)
    expect(bySize.cleanable.map((e) => e.baseOffset)).toEqual([0, 2, 4])
    const bySizeTwo = planCompaction(
      log,
      { finishedAt: {} },
      { ...open, segmentBytes: 200 },
      NOW,
      MiB,
    )
    expect(bySizeTwo.cleanable.map((e) => e.baseOffset)).toEqual([0, 2])
    // The newest entry is in the head even when it alone is larger than a segment.
    const tiny = planCompaction(log, { finishedAt: {} }, { ...open, segmentBytes: 14 }, NOW, MiB)
    expect(tiny.cleanable.map((e) => e.baseOffset)).toEqual([0, 2, 4])
    // Appended segment.ms ago (or max.compaction.lag.ms, if shorter), the whole log is closed.
    expect(planCompaction(log, { finishedAt: {} }, config, NOW, MiB).cleanable).toHaveLength(4)
    const lagged = { ...open, maxCompactionLagMs: NOW - T0 }
    expect(planCompaction(log, { finishedAt: {} }, lagged, NOW, MiB).cleanable).toHaveLength(4)
  })

  it('reads at most maxDirtyBytes of dirty entries in one pass', () => {
    const plan = planCompaction(entries([100, 100, 100, 100]), { finishedAt: {} }, config, NOW, 250)
    expect(plan.dirty.map((e) => e.baseOffset)).toEqual([0, 2])
    expect(plan.cleanableEnd).toBe(4)
  })

  it('has nothing to do in an empty log', () => {
    const plan = planCompaction([], { finishedAt: {} }, config, NOW, MiB)
    expect(plan.due).toBe(false)
    expect(plan.cleanable).toEqual([])
  })
})
