import { describe, expect, it } from 'vitest'
import { MAX_SEQUENCE } from '../../../lib/common/sequences.ts'
import { producerOfBatches } from '../../../lib/kafka/gateway/batch-producer.ts'
import { ErrorCode } from '../../../lib/kafka/protocol/error-codes.ts'
import type { RecordBatchHeader } from '../../../lib/log/record-batch.ts'

/** The header of a batch of `records` records; only the producer fields matter here. */
function header(
  producerId: number,
  producerEpoch: number,
  baseSequence: number,
  records = 3,
): RecordBatchHeader {
  return {
    baseOffset: 0,
    length: 100,
    attributes: 0,
    timestampType: 'CreateTime',
    isControl: false,
    isTransactional: false,
    lastOffsetDelta: records - 1,
    baseTimestamp: 0,
    maxTimestamp: 0,
    producerId,
    producerEpoch,
    baseSequence,
    recordsCount: records,
  }
}

describe('producerOfBatches', () => {
  it('finds no producer in batches without a producer id', () => {
    expect(producerOfBatches(0, [header(-1, -1, -1), header(-1, -1, -1)])).toEqual({
      kind: 'none',
    })
  })

  it("reads the session and the range's sequences from consecutive batches", () => {
    expect(producerOfBatches(4, [header(12, 3, 6), header(12, 3, 9, 2)])).toEqual({
      kind: 'idempotent',
      producer: { producerId: 12, epoch: 3 },
      sequence: { partition: 4, firstSequence: 6, count: 5 },
    })
  })

  it('follows sequences across the wrap to 0, as Kafka counts them', () => {
    const last = MAX_SEQUENCE - 1
    expect(producerOfBatches(0, [header(5, 0, last, 2), header(5, 0, 0, 4)])).toMatchObject({
      kind: 'idempotent',
      sequence: { firstSequence: last, count: 6 },
    })
  })

  it('refuses a gap between the batches of one partition', () => {
    const outcome = producerOfBatches(2, [header(12, 0, 0), header(12, 0, 4)])
    expect(outcome).toMatchObject({
      kind: 'refused',
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    })
    expect(outcome.kind === 'refused' && outcome.message).toMatch(
      /starts at sequence 4; .* 3 was expected/,
    )
  })

  it('refuses batches of different sessions, or of a session and none', () => {
    for (const second of [header(13, 0, 3), header(12, 1, 3), header(-1, -1, -1)]) {
      expect(producerOfBatches(0, [header(12, 0, 0), second])).toMatchObject({
        kind: 'refused',
        errorCode: ErrorCode.INVALID_RECORD,
      })
    }
  })

  it('refuses a producer id without an epoch or a base sequence', () => {
    for (const batch of [header(12, -1, 0), header(12, 0, -1), header(-7, 0, 0)]) {
      expect(producerOfBatches(0, [batch])).toMatchObject({
        kind: 'refused',
        errorCode: ErrorCode.INVALID_RECORD,
      })
    }
  })
})
