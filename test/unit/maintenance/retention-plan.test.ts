import { describe, expect, it } from 'vitest'
import { planRetention } from '../../../lib/maintenance/retention.ts'
import type { TopicItem } from '../../../lib/storage/ports/topics.ts'
import { entries, T0 } from './entries.ts'

function topic(configs: Record<string, string>): TopicItem {
  return { name: 't', topicId: 'id', partitionsCount: 1, configs, createdAt: T0 }
}

const head = (logStartOffset: number, logEndOffset: number) => ({ logStartOffset, logEndOffset })
const log = entries([100, 100, 100, 100]) // offsets 0-7; entry i's newest record at T0 + i s + 500 ms

describe('planRetention', () => {
  it('drops whole entries whose newest record is older than retention.ms', () => {
    const plan = planRetention(log, head(0, 8), topic({ 'retention.ms': '1000' }), T0 + 2600)
    expect(plan.dropped.map((e) => e.baseOffset)).toEqual([0, 2])
    expect(plan.logStartOffset).toBe(4)
  })

  it('drops the oldest entries while the rest still hold retention.bytes', () => {
    const plan = planRetention(log, head(0, 8), topic({ 'retention.bytes': '250' }), T0)
    expect(plan.dropped.map((e) => e.baseOffset)).toEqual([0])
    expect(plan.logStartOffset).toBe(2)
    const tight = planRetention(log, head(0, 8), topic({ 'retention.bytes': '100' }), T0)
    expect(tight.logStartOffset).toBe(6)
  })

  it('keeps everything by default (7 days, no byte limit) and with -1', () => {
    expect(planRetention(log, head(0, 8), topic({}), T0 + 10_000).dropped).toEqual([])
    const forever = topic({ 'retention.ms': '-1', 'retention.bytes': '-1' })
    expect(planRetention(log, head(0, 8), forever, T0 + 1e12).dropped).toEqual([])
  })

  it('may drop every entry, leaving an empty log that starts at its end', () => {
    const plan = planRetention(log, head(0, 8), topic({ 'retention.ms': '0' }), T0 + 10_000)
    expect(plan.dropped).toHaveLength(4)
    expect(plan.logStartOffset).toBe(8)
  })

  it('never applies to a compact-only topic, but always clears entries left below the log start', () => {
    const compacted = topic({ 'cleanup.policy': 'compact', 'retention.ms': '0' })
    const plan = planRetention(log, head(4, 8), compacted, T0 + 10_000)
    expect(plan.dropped.map((e) => e.baseOffset)).toEqual([0, 2])
    expect(plan.logStartOffset).toBe(4)
  })

  it('applies to delete,compact topics too, counting only what lies above the log start', () => {
    const both = topic({ 'cleanup.policy': 'compact,delete', 'retention.bytes': '150' })
    const plan = planRetention(log, head(2, 8), both, T0)
    expect(plan.dropped.map((e) => e.baseOffset)).toEqual([0, 2])
    expect(plan.logStartOffset).toBe(4)
  })
})
