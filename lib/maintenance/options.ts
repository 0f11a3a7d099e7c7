/** The structured log line every maintenance step reports itself in. */
export type LogLine = Readonly<Record<string, unknown>>

export interface MaintenanceOptions {
  /**
   * The size merges and compaction fill segments up to; a topic's smaller
   * `segment.bytes` wins. A reader fetches a whole segment to serve offsets in
   * it, so this also bounds the bytes one read may GET.
   */
  readonly targetSegmentBytes: number
  /** How long a partition lease lasts unless its holder renews it. */
  readonly leaseMs: number
  /**
   * Garbage collection leaves any object younger than this alone. It must
   * exceed the longest time between a writer's PUT and its commit (a produce
   * request or a rewrite; a Lambda lives 15 minutes at most), and the longest
   * a reader takes between finding an index entry and fetching its bytes.
   */
  readonly objectGraceMs: number
  /** Dirty bytes one compaction pass reads per partition: bounds the key map it keeps in memory. */
  readonly maxDirtyBytes: number
  /** S3 range GETs in flight at once while loading a partition's entries. */
  readonly fetchConcurrency: number
  readonly clock: () => number
  readonly log: (line: LogLine) => void
}

export const DEFAULT_MAINTENANCE_OPTIONS: MaintenanceOptions = {
  targetSegmentBytes: 4 * 1024 * 1024,
  leaseMs: 60_000,
  objectGraceMs: 60 * 60 * 1000,
  maxDirtyBytes: 64 * 1024 * 1024,
  fetchConcurrency: 8,
  clock: Date.now,
  log: (line) => console.log(JSON.stringify(line)),
}
