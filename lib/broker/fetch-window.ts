import type { SegmentEntry } from '../storage/ports/log.ts'

/** What a read still wants: about so many records or bytes. */
export interface Wanting {
  readonly records: number
  readonly bytes: number
}

/** An index entry and the fetch of its records, under way. */
export interface Fetching<T> {
  readonly entry: SegmentEntry
  readonly loaded: Promise<T>
}

/**
 * The fetches of a read, kept going a few at a time over consecutive index
 * entries and handed back in offset order: as one is taken, the next entry's
 * fetch starts, so a slow GET holds up only the records behind it, and the
 * index is read on while bytes arrive.
 */
export class FetchWindow<T> {
  private readonly fetching: Fetching<T>[] = []
  /** Records and bytes the entries being fetched hold, counted whole. */
  private ahead: Wanting = { records: 0, bytes: 0 }
  private exhausted = false
  /** Why the entries ran out early: thrown once the fetches under way have been taken. */
  private failure: { readonly error: unknown } | undefined

  constructor(
    private readonly entries: AsyncGenerator<SegmentEntry>,
    private readonly concurrency: number,
    private readonly load: (entry: SegmentEntry) => Promise<T>,
  ) {}

  /**
   * Starts fetches until `concurrency` are under way or those under way hold
   * what is still wanted; at least one, unless the entries have run out.
   */
  async fill(want: Wanting): Promise<void> {
    while (!this.exhausted && this.fetching.length < this.concurrency) {
      const { records, bytes } = this.ahead
      if (this.fetching.length > 0 && (records >= want.records || bytes >= want.bytes)) return
      let step: IteratorResult<SegmentEntry>
      try {
        step = await this.entries.next()
      } catch (error) {
        this.failure = { error }
        step = { done: true, value: undefined }
      }
      if (step.done) {
        this.exhausted = true
        return
      }
      const entry = step.value
      const loaded = this.load(entry)
      // A read that stops before it takes this fetch must not leave its failure unhandled.
      loaded.catch(() => undefined)
      this.fetching.push({ entry, loaded })
      this.ahead = { records: records + entry.recordCount, bytes: bytes + entry.byteLength }
    }
  }

  /**
   * The fetch of the next entry in offset order; undefined once none is under
   * way, or what stopped the entries once the fetches before it are taken.
   */
  take(): Fetching<T> | undefined {
    const next = this.fetching.shift()
    if (next === undefined && this.failure) throw this.failure.error
    if (next) {
      const { records, bytes } = this.ahead
      this.ahead = {
        records: records - next.entry.recordCount,
        bytes: bytes - next.entry.byteLength,
      }
    }
    return next
  }
}
