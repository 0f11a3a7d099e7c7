/**
 * What a fault check records: every call its producers and consumers made,
 * with what they were told, and the log as it stands at the end. The checker
 * judges nothing but this.
 */

/** A record as a read saw it. Values are unique across a run, so a value names its write. */
export interface ObservedRecord {
  readonly offset: number
  readonly value: string
}

/**
 * One produce call. `ok` was acknowledged at an offset; `fail` was refused
 * for good, so it must never be read; `unknown` ended without an answer that
 * says, so it may or may not be stored (at most once).
 */
export type ProduceOperation = {
  readonly process: string
  /** The process's count of its sends, in the order it made them. */
  readonly seq: number
  readonly value: string
  readonly partition: number
} & (
  | { readonly outcome: 'ok'; readonly offset: number }
  | { readonly outcome: 'fail' | 'unknown'; readonly error: string }
)

/** One read of a partition from `from`, which claims to have covered [from, nextOffset). */
export interface PollOperation {
  readonly process: string
  readonly partition: number
  readonly from: number
  readonly records: readonly ObservedRecord[]
  readonly nextOffset: number
}

export interface History {
  readonly produces: readonly ProduceOperation[]
  readonly polls: readonly PollOperation[]
  /** Polls that failed: counted, not judged. */
  readonly failedPolls: number
  /** Every partition read in full once the run was over, with no fault injected. */
  readonly final: ReadonlyMap<number, readonly ObservedRecord[]>
}
