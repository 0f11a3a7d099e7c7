import { LRUCache } from 'lru-cache'
import { partitionKey } from '../storage/keys.ts'

/** Partitions remembered per process; each entry is a key and two numbers. */
const CAPACITY = 100_000

/**
 * After a race lost to a writer in another process, how long the partition's
 * head is read before each commit instead of guessed: a guess there would
 * mostly lose again, and a cancelled transaction costs more than the read.
 */
const CONTENDED_MS = 5_000

interface Known {
  /** The log end offset this process last committed or read; undefined after a lost race. */
  readonly end: number | undefined
  /** Until when guesses are withheld; 0 when uncontended. */
  readonly contendedUntil: number
}

/**
 * The log end offset of each partition as this process last saw it, so a
 * commit can try it instead of reading the head first. A guess is only ever
 * a guess: the commit's condition on the head decides, and a wrong one costs a
 * cancelled transaction and a read. Ends only move forward, so a remembered end
 * is never past the real one.
 */
export class KnownLogEnds {
  private readonly known = new LRUCache<string, Known>({ max: CAPACITY })

  constructor(private readonly clock: () => number) {}

  /** The end to try, if there is one worth trying. */
  guess(topicId: string, partition: number): number | undefined {
    const known = this.known.get(partitionKey(topicId, partition))
    if (!known || known.contendedUntil > this.clock()) return undefined
    return known.end
  }

  /** A head read or a commit showed the partition's log ending at `end` (or later). */
  saw(topicId: string, partition: number, end: number): void {
    const key = partitionKey(topicId, partition)
    const known = this.known.get(key)
    if (known?.end !== undefined && known.end >= end) return
    this.known.set(key, { end, contendedUntil: known?.contendedUntil ?? 0 })
  }

  /**
   * A commit at `base` lost its race. When a commit from this process has
   * moved the end past `base` since, the new end is the next guess; otherwise
   * the winner was elsewhere, and the head is read for a while.
   */
  lost(topicId: string, partition: number, base: number): void {
    const key = partitionKey(topicId, partition)
    const known = this.known.get(key)
    if (known?.end !== undefined && known.end > base) return
    this.known.set(key, { end: undefined, contendedUntil: this.clock() + CONTENDED_MS })
  }
}
