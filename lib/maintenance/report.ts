import type { MaintenanceTask, PartitionTask } from './tasks.ts'

/** What one task did on one partition. Entries are index entries, i.e. the objects a read may GET. */
export interface TaskReport {
  readonly entriesBefore: number
  readonly entriesAfter: number
  readonly segmentsWritten: number
  /** Bytes of the entries read and replaced by new segments. */
  readonly bytesRewritten: number
  /** Bytes of the segments written in their place. */
  readonly bytesWritten: number
  /** Records compaction removed, or retention dropped with their entries. */
  readonly recordsDropped: number
  readonly logStartOffset?: { readonly before: number; readonly after: number }
  /** False when the run's deadline stopped the task part way; what it did stands. */
  readonly complete: boolean
}

export type PartitionOutcome =
  /** Every due task finished. */
  | 'done'
  /** The deadline came first; the next run carries on. */
  | 'stopped'
  /** Another run holds the partition's lease. */
  | 'busy'
  /** The lease expired and another run took it over; nothing more was written. */
  | 'lease-lost'
  /** The index changed under a rewrite, which then wrote nothing. */
  | 'conflict'
  | 'failed'

export interface PartitionReport {
  readonly topic: string
  readonly partition: number
  readonly outcome: PartitionOutcome
  readonly tasks: Readonly<Partial<Record<PartitionTask, TaskReport>>>
  readonly error?: string
}

export interface GcReport {
  /** Objects listed, and those left after deletion. */
  readonly objectsBefore: number
  readonly objectsAfter: number
  readonly objectsDeleted: number
  readonly bytesDeleted: number
  /** Unreferenced objects spared because they are younger than the grace period. */
  readonly objectsInGrace: number
  /** Partitions of deleted topics whose heads, index entries and leases were purged. */
  readonly deadPartitions: number
  readonly itemsDeleted: number
  readonly complete: boolean
}

export interface MaintenanceTotals {
  readonly partitionsTouched: number
  readonly entriesBefore: number
  readonly entriesAfter: number
  readonly segmentsWritten: number
  readonly bytesRewritten: number
  readonly bytesWritten: number
  readonly recordsDropped: number
}

export interface MaintenanceReport {
  readonly startedAt: string
  readonly elapsedMs: number
  readonly tasks: readonly MaintenanceTask[]
  /** False when the deadline came first: the next run starts with the partitions least recently done. */
  readonly complete: boolean
  /** The partitions with due work, in the order they were visited. */
  readonly partitions: readonly PartitionReport[]
  /** Partitions visited that had nothing to do. */
  readonly idlePartitions: number
  /** Partitions the deadline left unvisited. */
  readonly unvisitedPartitions: number
  readonly totals: MaintenanceTotals
  readonly gc?: GcReport
}

export function sumTotals(partitions: readonly PartitionReport[]): MaintenanceTotals {
  const totals = {
    partitionsTouched: 0,
    entriesBefore: 0,
    entriesAfter: 0,
    segmentsWritten: 0,
    bytesRewritten: 0,
    bytesWritten: 0,
    recordsDropped: 0,
  }
  for (const partition of partitions) {
    const tasks = Object.values(partition.tasks)
    const [first] = tasks
    if (!first) continue
    totals.partitionsTouched++
    // Tasks run one after another, so the first saw the index before and the last after.
    totals.entriesBefore += first.entriesBefore
    totals.entriesAfter += (tasks.at(-1) ?? first).entriesAfter
    for (const task of tasks) {
      totals.segmentsWritten += task.segmentsWritten
      totals.bytesRewritten += task.bytesRewritten
      totals.bytesWritten += task.bytesWritten
      totals.recordsDropped += task.recordsDropped
    }
  }
  return totals
}
