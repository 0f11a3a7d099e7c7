import { randomBytes } from 'node:crypto'
import { partitionForKey } from '../../lib/common/partitioner.ts'
import type { LogRecord } from '../../lib/log/record.ts'
import { recordBatchSize } from '../../lib/log/record-batch.ts'
import type { ProduceCell } from './cells.ts'

/** One produce request of a cell, ready to send, with the storage work it causes. */
export interface PlannedRequest {
  /** A v3 `records:batch` body. */
  readonly body: string
  readonly records: number
  readonly valueBytes: number
  /** Size of the ingest object Sluice writes for it: one RecordBatch per partition. */
  readonly objectBytes: number
  /** Records per partition the request touches, which is what its commit writes. */
  readonly partitionRecords: ReadonlyMap<number, number>
}

interface PooledValue {
  readonly bytes: Buffer
  readonly base64: string
}

/**
 * Record values come from a small pool of random blocks: random so nothing
 * along the way could profit from repetition, pooled so building bodies stays cheap.
 */
export class ValuePool {
  private readonly values: readonly PooledValue[]

  constructor(
    readonly valueBytes: number,
    size = 16,
  ) {
    this.values = Array.from({ length: size }, () => {
      const bytes = randomBytes(valueBytes)
      return { bytes, base64: bytes.toString('base64') }
    })
  }

  at(index: number): PooledValue {
    return this.values[index % this.values.length] as PooledValue
  }
}

/**
 * Builds requests `first` to `first + count - 1` of a cell. Every record has
 * its own STRING key, so on a multi-partition topic murmur2 spreads them.
 */
export function planRequests(
  cell: ProduceCell,
  pool: ValuePool,
  first: number,
  count: number,
): PlannedRequest[] {
  return Array.from({ length: count }, (_, i) => planRequest(cell, pool, first + i))
}

function planRequest(cell: ProduceCell, pool: ValuePool, index: number): PlannedRequest {
  const entries = []
  const byPartition = new Map<number, LogRecord[]>()
  const now = Date.now()
  for (let i = 0; i < cell.batchSize; i++) {
    const n = index * cell.batchSize + i
    const key = `${cell.id}-${n}`
    const value = pool.at(n)
    entries.push({
      id: String(i),
      key: { type: 'STRING', data: key },
      value: { type: 'BINARY', data: value.base64 },
    })
    const keyBytes = Buffer.from(key, 'utf8')
    const partition = partitionForKey(keyBytes, cell.partitions)
    const records = byPartition.get(partition) ?? []
    records.push({ key: keyBytes, value: value.bytes, headers: [], timestamp: now })
    byPartition.set(partition, records)
  }
  let objectBytes = 0
  for (const records of byPartition.values()) {
    objectBytes += recordBatchSize(records, { timestampType: 'CreateTime' })
  }
  return {
    body: JSON.stringify({ entries }),
    records: cell.batchSize,
    valueBytes: cell.batchSize * pool.valueBytes,
    objectBytes,
    partitionRecords: new Map([...byPartition].map(([p, records]) => [p, records.length])),
  }
}
