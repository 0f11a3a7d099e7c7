/**
 * Kafka's idempotent producer rules, as pure functions over what the producer
 * table holds. A producer id and epoch name one producer session; each of its
 * batches to a partition carries the sequence of its first record, and the
 * records count on from there. The log remembers the last few batches per
 * producer and partition, so a batch sent again gets its original offsets.
 */

import { MAX_SEQUENCE, sequenceAfter } from '../common/sequences.ts'
import {
  InvalidProducerEpochError,
  OutOfOrderSequenceError,
  type SluiceError,
  UnknownProducerIdError,
} from '../errors.ts'

/** Epochs are int16. */
export const MAX_PRODUCER_EPOCH = 2 ** 15 - 1
/** Batches remembered per producer and partition (Kafka keeps 5, its max.in.flight limit). */
export const REMEMBERED_BATCHES = 5

/** The producer session a request speaks for. */
export interface ProducerIdentity {
  readonly producerId: number
  readonly epoch: number
}

/** A batch of the producer that the log holds: its sequences, and the offsets they took. */
export interface StoredBatch {
  readonly firstSequence: number
  readonly lastSequence: number
  readonly baseOffset: number
  /** The broker's clock when it was appended: the timestamp of records that had none. */
  readonly appendTime: number
}

/** A producer's state on one partition. */
export interface PartitionSequenceState {
  readonly epoch: number
  readonly nextSequence: number
  /** Oldest first, at most REMEMBERED_BATCHES. */
  readonly batches: readonly StoredBatch[]
}

/** A request's batch for one partition: `count` records from sequence `first` on. */
export interface SequencedBatch {
  readonly partition: number
  readonly firstSequence: number
  readonly count: number
}

export type SequenceVerdict =
  /** New records, in order: append them. `fencesEpoch` when this epoch first writes here. */
  | { readonly kind: 'append'; readonly fencesEpoch: boolean }
  /** Stored before: every record's original offset, and when its batch was appended. */
  | {
      readonly kind: 'duplicate'
      readonly offsets: readonly number[]
      readonly appendTimes: readonly number[]
    }
  | { readonly kind: 'refused'; readonly error: SluiceError }

/** How far `sequence` lies after `first`, modulo the wrap. */
function distance(first: number, sequence: number): number {
  return (sequence - first + MAX_SEQUENCE + 1) % (MAX_SEQUENCE + 1)
}

function lastSequenceOf(batch: SequencedBatch): number {
  return sequenceAfter(batch.firstSequence, batch.count - 1)
}

/** Where each record of `batch` was stored, if the remembered batches hold every one of them. */
function storedOffsets(
  state: PartitionSequenceState,
  batch: SequencedBatch,
): { offsets: number[]; appendTimes: number[] } | undefined {
  const offsets: number[] = []
  const appendTimes: number[] = []
  for (let i = 0; i < batch.count; i++) {
    const sequence = sequenceAfter(batch.firstSequence, i)
    const holder = state.batches.find(
      (stored) =>
        distance(stored.firstSequence, sequence) <=
        distance(stored.firstSequence, stored.lastSequence),
    )
    if (!holder) return undefined
    offsets.push(holder.baseOffset + distance(holder.firstSequence, sequence))
    appendTimes.push(holder.appendTime)
  }
  return { offsets, appendTimes }
}

/**
 * What to do with a batch, given the producer's current epoch (undefined when
 * the id was never issued) and its state on the partition (undefined before
 * its first write there).
 */
export function checkSequence(
  identity: ProducerIdentity,
  currentEpoch: number | undefined,
  state: PartitionSequenceState | undefined,
  batch: SequencedBatch,
): SequenceVerdict {
  const { producerId, epoch } = identity
  if (currentEpoch === undefined) {
    return { kind: 'refused', error: new UnknownProducerIdError(producerId) }
  }
  if (epoch !== currentEpoch || (state !== undefined && state.epoch > epoch)) {
    const why =
      epoch < currentEpoch
        ? `it was fenced by epoch ${currentEpoch}`
        : `the current epoch is ${currentEpoch}`
    return {
      kind: 'refused',
      error: new InvalidProducerEpochError(
        `INVALID_PRODUCER_EPOCH: producer ${producerId} cannot write with epoch ${epoch}: ${why}.`,
      ),
    }
  }
  if (state === undefined || state.epoch < epoch) {
    // The epoch's first batch here starts its sequences at 0.
    return batch.firstSequence === 0
      ? { kind: 'append', fencesEpoch: true }
      : {
          kind: 'refused',
          error: new OutOfOrderSequenceError(batch.partition, 0, batch.firstSequence),
        }
  }
  if (batch.firstSequence === state.nextSequence) return { kind: 'append', fencesEpoch: false }
  const stored = storedOffsets(state, batch)
  if (stored) return { kind: 'duplicate', ...stored }
  return {
    kind: 'refused',
    error: new OutOfOrderSequenceError(batch.partition, state.nextSequence, batch.firstSequence),
  }
}

/** The state once `batch` is appended at `baseOffset`: it joins the remembered batches. */
export function stateAfterAppend(
  identity: ProducerIdentity,
  state: PartitionSequenceState | undefined,
  batch: SequencedBatch,
  baseOffset: number,
  appendTime: number,
): PartitionSequenceState {
  const kept = state !== undefined && state.epoch === identity.epoch ? state.batches : []
  const stored: StoredBatch = {
    firstSequence: batch.firstSequence,
    lastSequence: lastSequenceOf(batch),
    baseOffset,
    appendTime,
  }
  return {
    epoch: identity.epoch,
    nextSequence: sequenceAfter(batch.firstSequence, batch.count),
    batches: [...kept, stored].slice(-REMEMBERED_BATCHES),
  }
}
