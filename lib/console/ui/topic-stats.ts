import { useRef, useState } from 'preact/hooks'
import { api, seg } from './api.ts'
import { useCluster } from './cluster.ts'
import { useInterval } from './hooks.ts'
import type { PartitionOffsets, Segments } from './types.ts'

export interface PartitionStats {
  readonly partition: number
  readonly earliest: number
  readonly latest: number
  readonly entries: number
  readonly bytes: number
}

export interface TopicStats {
  readonly partitions: readonly PartitionStats[]
  /** Records per second over the last sampling interval; undefined until two samples exist. */
  readonly rate: number | undefined
}

const SAMPLE_MS = 5000
/** Sizes come from a scan of the segment index: every sixth sample (30 s) is often enough. */
const SIZE_EVERY = 6

export interface TopicShape {
  readonly topic_name: string
  readonly partitions_count: number
}

/**
 * Offsets, index entries and bytes of each partition of each topic, sampled
 * while shown: offsets every 5 s, sizes every 30 s. The API keeps no throughput
 * figures, so throughput is the change of the log end offsets between two samples taken here.
 */
export function useTopicStats(topics: readonly TopicShape[]): ReadonlyMap<string, TopicStats> {
  const { path } = useCluster()
  const [stats, setStats] = useState<ReadonlyMap<string, TopicStats>>(new Map())
  const previous = useRef(new Map<string, { at: number; end: number }>())
  const sizes = useRef(new Map<string, Size>())
  const samples = useRef(0)
  const shape = topics.map((t) => `${t.topic_name}:${t.partitions_count}`).join(',')
  useInterval(
    async () => {
      const resize = samples.current++ % SIZE_EVERY === 0
      const sampled = await Promise.all(
        topics.map(async (topic) => {
          const base = path(`/topics/${seg(topic.topic_name)}/partitions`)
          const partitions = await Promise.all(
            Array.from({ length: topic.partitions_count }, async (_, partition) => {
              const key = `${topic.topic_name}/${partition}`
              const [offsets, size] = await Promise.all([
                api<PartitionOffsets>('GET', `${base}/${partition}/offset`),
                resize || !sizes.current.has(key)
                  ? partitionSize(base, partition)
                  : sizes.current.get(key),
              ])
              if (size) sizes.current.set(key, size)
              return {
                partition,
                earliest: offsets.earliest_offset,
                latest: offsets.latest_offset,
                entries: size?.entries ?? 0,
                bytes: size?.bytes ?? 0,
              }
            }),
          ).catch(() => undefined)
          return [topic.topic_name, partitions] as const
        }),
      )
      const at = performance.now()
      const next = new Map<string, TopicStats>()
      for (const [name, partitions] of sampled) {
        if (!partitions) continue
        const end = partitions.reduce((sum, p) => sum + p.latest, 0)
        const before = previous.current.get(name)
        previous.current.set(name, { at, end })
        next.set(name, {
          partitions,
          rate: before ? ((end - before.end) * 1000) / (at - before.at) : undefined,
        })
      }
      setStats(next)
    },
    SAMPLE_MS,
    [shape, path],
  )
  return stats
}

interface Size {
  readonly entries: number
  readonly bytes: number
}

async function partitionSize(base: string, partition: number): Promise<Size> {
  const segments = await api<Segments>('GET', `${base}/${partition}/segments?limit=10000`)
  return {
    entries: segments.data.length,
    bytes: segments.data.reduce((sum, entry) => sum + entry.byte_length, 0),
  }
}

/** Records in the log: offsets between start and end (compaction's gaps included). */
export function recordsIn(stats: TopicStats): number {
  return stats.partitions.reduce((sum, p) => sum + p.latest - p.earliest, 0)
}

export function bytesIn(stats: TopicStats): number {
  return stats.partitions.reduce((sum, p) => sum + p.bytes, 0)
}
