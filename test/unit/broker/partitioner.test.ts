import { describe, expect, it } from 'vitest'
import { assignPartitions } from '../../../lib/broker/partitioner.ts'
import type { ProduceRecord } from '../../../lib/broker/produce-record.ts'

function record(key: string | null, partition?: number): ProduceRecord {
  return {
    ...(partition !== undefined && { partition }),
    key: key === null ? null : { format: 'STRING', bytes: Buffer.from(key) },
    value: null,
    headers: [],
  }
}

describe('assignPartitions', () => {
  it('hashes keys with murmur2 as Kafka does', () => {
    // murmur2("foobar") = -790332482; (v & 0x7fffffff) % 7 = 1357151166 % 7
    expect(assignPartitions([record('foobar')], 7)).toEqual([1357151166 % 7])
  })

  it('lets an explicit partition win over the key', () => {
    expect(assignPartitions([record('foobar', 4)], 7)).toEqual([4])
  })

  it('keeps keyless records of one request on one partition', () => {
    let draws = 0
    const random = () => {
      draws++
      return 0.99
    }
    expect(assignPartitions([record(null), record('foobar'), record(null)], 7, random)).toEqual([
      6,
      1357151166 % 7,
      6,
    ])
    expect(draws).toBe(1)
  })

  it('spreads keyless requests over partitions', () => {
    const seen = new Set<number>()
    for (let i = 0; i < 200; i++) seen.add(assignPartitions([record(null)], 4)[0] as number)
    expect(seen).toEqual(new Set([0, 1, 2, 3]))
  })
})
