import { describe, expect, it } from 'vitest'
import { MAX_SEQUENCE, sequenceAfter } from '../../../lib/common/sequences.ts'
import {
  InvalidProducerEpochError,
  OutOfOrderSequenceError,
  UnknownProducerIdError,
} from '../../../lib/errors.ts'
import {
  checkSequence,
  type PartitionSequenceState,
  REMEMBERED_BATCHES,
  stateAfterAppend,
} from '../../../lib/storage/producer-sequences.ts'

const producer = { producerId: 7, epoch: 2 }
const batch = (firstSequence: number, count: number) => ({ partition: 3, firstSequence, count })

/** The state after appending batches of the given sizes, from sequence 0 at offset 100, 10 apart. */
function stateOf(...sizes: number[]): PartitionSequenceState | undefined {
  let state: PartitionSequenceState | undefined
  let sequence = 0
  sizes.forEach((size, i) => {
    state = stateAfterAppend(producer, state, batch(sequence, size), 100 + i * 10, 1000 + i)
    sequence += size
  })
  return state
}

describe('checkSequence', () => {
  it("appends an epoch's first batch at sequence 0, and asks for the epoch check", () => {
    expect(checkSequence(producer, 2, undefined, batch(0, 3))).toEqual({
      kind: 'append',
      fencesEpoch: true,
    })
    const older = stateAfterAppend({ producerId: 7, epoch: 1 }, undefined, batch(0, 5), 0, 0)
    expect(checkSequence(producer, 2, older, batch(0, 1))).toEqual({
      kind: 'append',
      fencesEpoch: true,
    })
  })

  it('appends the next sequence without the epoch check', () => {
    expect(checkSequence(producer, 2, stateOf(3), batch(3, 2))).toEqual({
      kind: 'append',
      fencesEpoch: false,
    })
  })

  it('answers a remembered batch with its offsets and append times', () => {
    expect(checkSequence(producer, 2, stateOf(3, 2), batch(0, 3))).toEqual({
      kind: 'duplicate',
      offsets: [100, 101, 102],
      appendTimes: [1000, 1000, 1000],
    })
    // Spanning two remembered batches, record by record.
    expect(checkSequence(producer, 2, stateOf(3, 2), batch(2, 2))).toEqual({
      kind: 'duplicate',
      offsets: [102, 110],
      appendTimes: [1000, 1001],
    })
  })

  it('refuses gaps, partial overlaps and batches older than it remembers', () => {
    const state = stateOf(...Array.from({ length: REMEMBERED_BATCHES + 1 }, () => 1))
    for (const refused of [batch(7, 1), batch(5, 2), batch(0, 1)]) {
      const verdict = checkSequence(producer, 2, state, refused)
      expect(verdict.kind).toBe('refused')
      expect(verdict.kind === 'refused' && verdict.error).toBeInstanceOf(OutOfOrderSequenceError)
      expect(verdict.kind === 'refused' && verdict.error).toMatchObject({ expectedSequence: 6 })
    }
    expect(checkSequence(producer, 2, undefined, batch(1, 1))).toMatchObject({
      kind: 'refused',
      error: { expectedSequence: 0 },
    })
  })

  it('fences older epochs and refuses unissued ones and unknown ids', () => {
    const stale = checkSequence({ producerId: 7, epoch: 1 }, 2, stateOf(1), batch(1, 1))
    expect(stale.kind === 'refused' && stale.error).toBeInstanceOf(InvalidProducerEpochError)
    expect(stale.kind === 'refused' && stale.error.message).toMatch(/fenced by epoch 2/)
    const unissued = checkSequence({ producerId: 7, epoch: 3 }, 2, undefined, batch(0, 1))
    expect(unissued.kind === 'refused' && unissued.error).toBeInstanceOf(InvalidProducerEpochError)
    const unknown = checkSequence(producer, undefined, undefined, batch(0, 1))
    expect(unknown.kind === 'refused' && unknown.error).toBeInstanceOf(UnknownProducerIdError)
  })
})

describe('stateAfterAppend', () => {
  it(`remembers the last ${REMEMBERED_BATCHES} batches, oldest first`, () => {
    const state = stateOf(1, 2, 3, 4, 5, 6) as PartitionSequenceState
    expect(state.nextSequence).toBe(21)
    expect(state.batches.map((b) => [b.firstSequence, b.lastSequence])).toEqual([
      [1, 2],
      [3, 5],
      [6, 9],
      [10, 14],
      [15, 20],
    ])
  })

  it('starts over in a new epoch', () => {
    const next = stateAfterAppend({ producerId: 7, epoch: 3 }, stateOf(4), batch(0, 1), 50, 9)
    expect(next).toEqual({
      epoch: 3,
      nextSequence: 1,
      batches: [{ firstSequence: 0, lastSequence: 0, baseOffset: 50, appendTime: 9 }],
    })
  })

  it('wraps sequences past the int32 maximum, as Kafka does', () => {
    expect(sequenceAfter(MAX_SEQUENCE, 1)).toBe(0)
    const near = { epoch: 2, nextSequence: MAX_SEQUENCE - 1, batches: [] }
    const wrapped = stateAfterAppend(producer, near, batch(MAX_SEQUENCE - 1, 4), 10, 0)
    expect(wrapped.nextSequence).toBe(2)
    expect(checkSequence(producer, 2, wrapped, batch(MAX_SEQUENCE, 2))).toMatchObject({
      kind: 'duplicate',
      offsets: [11, 12],
    })
  })
})
