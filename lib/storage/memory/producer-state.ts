import type { PartitionSequenceState, ProducerIdentity } from '../producer-sequences.ts'

/**
 * The producers table, held in memory. The memory producer store and log
 * committer share one, as the DynamoDB ones share the table, so a commit can
 * check and move a producer's state atomically with the heads and the index.
 */
export class MemoryProducerState {
  private nextProducerId = 0
  /** Each issued producer id's current epoch. */
  readonly epochs = new Map<number, number>()
  /** Each producer's sequence state, by partition key. */
  readonly sequences = new Map<number, Map<string, PartitionSequenceState>>()
  /** The producer id each transactional id holds. */
  readonly transactionalIds = new Map<string, number>()

  /** A producer id never issued before, at epoch 0. */
  issue(): ProducerIdentity {
    const producerId = this.nextProducerId++
    this.epochs.set(producerId, 0)
    return { producerId, epoch: 0 }
  }
}
