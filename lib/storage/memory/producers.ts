import { partitionKey } from '../keys.ts'
import type { ProducerStore, ProducerView } from '../ports/producers.ts'
import {
  MAX_PRODUCER_EPOCH,
  type PartitionSequenceState,
  type ProducerIdentity,
} from '../producer-sequences.ts'
import type { MemoryProducerState } from './producer-state.ts'

/** Producer ids and epochs in memory; the sequence state moves with log commits (MemoryLogCommitter). */
export class MemoryProducerStore implements ProducerStore {
  constructor(private readonly state: MemoryProducerState) {}

  async initProducer(transactionalId?: string): Promise<ProducerIdentity> {
    if (transactionalId === undefined) return this.state.issue()
    const producerId = this.state.transactionalIds.get(transactionalId)
    const epoch = producerId === undefined ? undefined : this.state.epochs.get(producerId)
    if (producerId !== undefined && epoch !== undefined) {
      // Forgetting the producer's states fences its older epochs, as in DynamoDB.
      this.state.sequences.delete(producerId)
      if (epoch < MAX_PRODUCER_EPOCH) {
        this.state.epochs.set(producerId, epoch + 1)
        return { producerId, epoch: epoch + 1 }
      }
    }
    // A new transactional id, or one whose producer ran out of epochs (int16).
    const identity = this.state.issue()
    this.state.transactionalIds.set(transactionalId, identity.producerId)
    return identity
  }

  async view(
    producerId: number,
    topicId: string,
    partitions: readonly number[],
  ): Promise<ProducerView> {
    const sequences = this.state.sequences.get(producerId)
    const states = new Map<number, PartitionSequenceState>()
    for (const partition of partitions) {
      const state = sequences?.get(partitionKey(topicId, partition))
      if (state) states.set(partition, structuredClone(state))
    }
    return { epoch: this.state.epochs.get(producerId), states }
  }
}
