import { describe, expect, it } from 'vitest'
import { type MergeLimits, planMerges } from '../../../lib/maintenance/merge.ts'
import { entries } from './entries.ts'

const limits: MergeLimits = {
  targetBytes: 1000,
  maxEntries: 99,
  spanMs: Number.MAX_SAFE_INTEGER,
  maxFormatRunsLength: Number.MAX_SAFE_INTEGER,
}
const bases = (runs: { baseOffset: number }[][]) => runs.map((run) => run.map((e) => e.baseOffset))

describe('planMerges', () => {
  it('folds small entries into runs up to the target size', () => {
    const runs = planMerges(entries([300, 300, 300, 300, 300, 300, 300]), limits)
    expect(bases(runs)).toEqual([
      [0, 2, 4],
      [6, 8, 10],
    ])
  })

  it('leaves the last entry alone when nothing could join it', () => {
    expect(bases(planMerges(entries([300, 300, 300, 300]), limits))).toEqual([[0, 2, 4]])
  })

  it('never merges an entry already at the target size, nor across it', () => {
    const runs = planMerges(entries([100, 100, 1000, 100, 100]), limits)
    expect(bases(runs)).toEqual([
      [0, 2],
      [6, 8],
    ])
  })

  it('rewrites a larger entry only once at least as many bytes would join it', () => {
    expect(bases(planMerges(entries([600, 100, 100]), limits))).toEqual([[2, 4]])
    expect(bases(planMerges(entries([600, 100, 100, 100]), limits))).toEqual([[2, 4, 6]])
    expect(bases(planMerges(entries([300, 100, 100, 100]), limits))).toEqual([[0, 2, 4, 6]])
  })

  it('caps a run at the entries one transaction can replace', () => {
    const runs = planMerges(entries(Array(10).fill(10)), { ...limits, maxEntries: 4 })
    expect(runs.map((run) => run.length)).toEqual([4, 4, 2])
  })

  it('keeps a segment within segment.ms of record timestamps', () => {
    // Entry i spans T0 + i s to T0 + i s + 500 ms: three entries span 2.5 s.
    const runs = planMerges(entries([10, 10, 10, 10, 10, 10]), { ...limits, spanMs: 2500 })
    expect(runs.map((run) => run.length)).toEqual([3, 3])
  })

  it('finds nothing to do in an empty or single-entry index', () => {
    expect(planMerges([], limits)).toEqual([])
    expect(planMerges(entries([10]), limits)).toEqual([])
  })

  it('cuts a run before its format runs outgrow what an index item holds', () => {
    // '' stands for all binary: '2:BB' and a comma at most per entry.
    const runs = planMerges(entries(Array(6).fill(10)), { ...limits, maxFormatRunsLength: 15 })
    expect(bases(runs)).toEqual([
      [0, 2, 4],
      [6, 8, 10],
    ])
  })

  it('never folds tombstones of one delete horizon into a segment with another', () => {
    const horizons = [undefined, undefined, 5, 5, 7, undefined, undefined]
    const log = entries(Array(7).fill(10)).map((entry, i) => {
      const deleteHorizon = horizons[i]
      return deleteHorizon === undefined ? entry : { ...entry, deleteHorizon }
    })
    expect(bases(planMerges(log, limits))).toEqual([
      [0, 2],
      [4, 6],
      [10, 12],
    ])
  })
})
