import type { PartitionSequenceState, ProducerIdentity } from '../producer-sequences.ts'

/** What the log knows of a producer: its current epoch, and its state on the partitions asked for. */
export interface ProducerView {
  /** Undefined when the producer id was never issued. */
  readonly epoch: number | undefined
  readonly states: ReadonlyMap<number, PartitionSequenceState>
}

/** A partition state write, to join the commit that appends the batch (LogCommitter). */
export interface ProducerStateWrite {
  readonly partition: number
  /** The state read, which must still be there; undefined when there was none. */
  readonly previous: PartitionSequenceState | undefined
  readonly next: PartitionSequenceState
}

/**
 * Producer ids, epochs and per-partition sequence state. A transactional id
 * keeps its producer id across sessions, and each new session of it gets the
 * next epoch and fences the older ones. The sequence state is written only by
 * log commits.
 */
export interface ProducerStore {
  /**
   * A new producer session. Without a transactional id, a fresh producer id
   * at epoch 0. With one, its producer id at the next epoch (a fresh id once
   * epochs run out): once this resolves, no write of an older epoch can land anywhere.
   */
  initProducer(transactionalId?: string, now?: number): Promise<ProducerIdentity>
  /** The producer's current epoch and its state on `partitions` of a topic, read strongly consistent. */
  view(producerId: number, topicId: string, partitions: readonly number[]): Promise<ProducerView>
}
