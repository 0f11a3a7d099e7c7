/**
 * Which idempotent producer sent a partition's batches, and the sequences they
 * carry: Kafka writes both into every batch header, and an idempotent client
 * sends its batches to a partition with consecutive sequences.
 */
import { sequenceAfter } from '../../common/sequences.ts'
import type { RecordBatchHeader } from '../../log/record-batch.ts'
import type { ProducerIdentity, SequencedBatch } from '../../storage/producer-sequences.ts'
import { ErrorCode } from '../protocol/error-codes.ts'

/** RecordBatch.NO_PRODUCER_ID: the batch comes from a producer without idempotence. */
const NO_PRODUCER_ID = -1

export type BatchesProducer =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'idempotent'
      readonly producer: ProducerIdentity
      readonly sequence: SequencedBatch
    }
  | { readonly kind: 'refused'; readonly errorCode: number; readonly message: string }

function refused(errorCode: number, message: string): BatchesProducer {
  return { kind: 'refused', errorCode, message }
}

/**
 * The producer of a partition's batches, whose record counts were already
 * checked against their headers. The batches of one partition in one request
 * come from one producer session, with no gap between their sequences.
 */
export function producerOfBatches(
  partition: number,
  headers: readonly RecordBatchHeader[],
): BatchesProducer {
  const [first] = headers
  if (first === undefined) throw new Error('A produced range holds at least one batch')
  const sameSession = headers.every(
    (header) =>
      header.producerId === first.producerId && header.producerEpoch === first.producerEpoch,
  )
  if (!sameSession) {
    return refused(
      ErrorCode.INVALID_RECORD,
      `The batches for partition ${partition} come from different producers.`,
    )
  }
  if (first.producerId === NO_PRODUCER_ID) return { kind: 'none' }
  if (first.producerId < 0 || first.producerEpoch < 0 || first.baseSequence < 0) {
    return refused(
      ErrorCode.INVALID_RECORD,
      `A batch with producer id ${first.producerId} needs a producer epoch and a base sequence, not ${first.producerEpoch} and ${first.baseSequence}.`,
    )
  }
  let count = 0
  for (const header of headers) {
    const expected = sequenceAfter(first.baseSequence, count)
    if (header.baseSequence !== expected) {
      return refused(
        ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        `OUT_OF_ORDER_SEQUENCE_NUMBER: a batch for partition ${partition} starts at sequence ${header.baseSequence}; after the request's batch before it, ${expected} was expected.`,
      )
    }
    count += header.lastOffsetDelta + 1
  }
  return {
    kind: 'idempotent',
    producer: { producerId: first.producerId, epoch: first.producerEpoch },
    sequence: { partition, firstSequence: first.baseSequence, count },
  }
}
