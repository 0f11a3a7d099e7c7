import { randomUUID } from 'node:crypto'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  CommitConflictError,
  EMPTY_HEAD,
  type PartitionAppend,
  type ProducerCommit,
} from '../../lib/storage/ports/log.ts'
import type { LogStores } from '../../lib/storage/ports/log-stores.ts'
import type { ProducerStateWrite } from '../../lib/storage/ports/producers.ts'
import type {
  PartitionSequenceState,
  ProducerIdentity,
} from '../../lib/storage/producer-sequences.ts'
import { entryAt, scanned } from './log.contract.ts'

/** The producer store and the log stores its state commits with. */
export type ProducerCommitStores = Pick<LogStores, 'producers' | 'heads' | 'segments' | 'committer'>

const NOW = 1_700_000_000_000

/** The state after the producer's batch of `count` records from `firstSequence`, stored at `baseOffset`. */
function stateAt(
  { epoch }: ProducerIdentity,
  firstSequence: number,
  count: number,
  baseOffset: number,
): PartitionSequenceState {
  return {
    epoch,
    nextSequence: firstSequence + count,
    batches: [
      { firstSequence, lastSequence: firstSequence + count - 1, baseOffset, appendTime: NOW },
    ],
  }
}

/**
 * The ProducerStore port's contract, and how its state commits with the log
 * (LogCommitter): atomically, or not at all. Every test works under a fresh topic id.
 */
export function describeProducerStoreContract(
  engine: string,
  open: () => Promise<ProducerCommitStores>,
) {
  describe(`ProducerStore with LogCommitter on ${engine}`, () => {
    let stores: ProducerCommitStores
    let topicId: string

    beforeAll(async () => {
      stores = await open()
    })
    beforeEach(() => {
      topicId = randomUUID()
    })

    /** Appends `count` records at `baseOffset` to each partition, moving the producer's states. */
    const commit = (
      identity: ProducerIdentity,
      writes: readonly ProducerStateWrite[],
      { checkEpoch = false, count = 5, baseOffset = 0 } = {},
    ) => {
      const appends: PartitionAppend[] = writes.map(({ partition }) => ({
        partition,
        entry: entryAt(baseOffset, count),
      }))
      const producer: ProducerCommit = { identity, writes, checkEpoch }
      return stores.committer.commit(topicId, appends, NOW, producer)
    }

    /** Expects the commit to fail and to have written nothing anywhere. */
    async function expectNothingWritten(
      identity: ProducerIdentity,
      attempt: () => Promise<void>,
      before: {
        partitions: readonly number[]
        states: ReadonlyMap<number, PartitionSequenceState>
      },
    ): Promise<CommitConflictError> {
      const heads = await stores.heads.read(topicId, before.partitions)
      const entries = await Promise.all(before.partitions.map((p) => scanned(stores, topicId, p)))
      const error = await attempt().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CommitConflictError)
      expect(await stores.heads.read(topicId, before.partitions)).toEqual(heads)
      expect(await Promise.all(before.partitions.map((p) => scanned(stores, topicId, p)))).toEqual(
        entries,
      )
      const view = await stores.producers.view(identity.producerId, topicId, before.partitions)
      expect(view.states).toEqual(before.states)
      return error as CommitConflictError
    }

    it('issues a fresh producer id at epoch 0 to each session without a transactional id', async () => {
      const first = await stores.producers.initProducer()
      const second = await stores.producers.initProducer()
      expect(first.epoch).toBe(0)
      expect(second.epoch).toBe(0)
      expect(second.producerId).not.toBe(first.producerId)
      expect(await stores.producers.view(first.producerId, topicId, [0])).toEqual({
        epoch: 0,
        states: new Map(),
      })
    })

    it('knows no epoch of a producer id never issued', async () => {
      expect(await stores.producers.view(2 ** 40, topicId, [0, 1])).toEqual({
        epoch: undefined,
        states: new Map(),
      })
    })

    it('gives a transactional id its producer id at the next epoch each session', async () => {
      const transactionalId = `tx-${randomUUID()}`
      const first = await stores.producers.initProducer(transactionalId)
      const second = await stores.producers.initProducer(transactionalId)
      const third = await stores.producers.initProducer(transactionalId)
      expect(second).toEqual({ producerId: first.producerId, epoch: first.epoch + 1 })
      expect(third).toEqual({ producerId: first.producerId, epoch: first.epoch + 2 })
      expect((await stores.producers.view(first.producerId, topicId, [])).epoch).toBe(third.epoch)
      const other = await stores.producers.initProducer(`tx-${randomUUID()}`)
      expect(other.producerId).not.toBe(first.producerId)
    })

    it('moves the producer states with the heads and the index in one commit', async () => {
      const identity = await stores.producers.initProducer()
      const first = [0, 1].map((partition) => ({
        partition,
        previous: undefined,
        next: stateAt(identity, 0, 5, 0),
      }))
      await commit(identity, first, { checkEpoch: true })
      const second = [
        { partition: 1, previous: stateAt(identity, 0, 5, 0), next: stateAt(identity, 5, 5, 5) },
      ]
      await commit(identity, second, { baseOffset: 5 })

      expect(await stores.producers.view(identity.producerId, topicId, [0, 1, 2])).toEqual({
        epoch: identity.epoch,
        states: new Map([
          [0, stateAt(identity, 0, 5, 0)],
          [1, stateAt(identity, 5, 5, 5)],
        ]),
      })
      expect(await stores.heads.read(topicId, [0, 1])).toEqual(
        new Map([
          [0, { logStartOffset: 0, logEndOffset: 5 }],
          [1, { logStartOffset: 0, logEndOffset: 10 }],
        ]),
      )
      expect(await scanned(stores, topicId, 1)).toEqual([entryAt(0), entryAt(5)])
      // States are per topic.
      expect((await stores.producers.view(identity.producerId, randomUUID(), [0])).states).toEqual(
        new Map(),
      )
    })

    it('writes nothing when a state changed since it was read, naming no partition', async () => {
      const identity = await stores.producers.initProducer()
      const stored = stateAt(identity, 0, 5, 0)
      await commit(identity, [{ partition: 0, previous: undefined, next: stored }])

      const stale = { ...stored, nextSequence: 3 }
      const conflict = await expectNothingWritten(
        identity,
        () =>
          commit(identity, [{ partition: 0, previous: stale, next: stateAt(identity, 3, 5, 5) }], {
            baseOffset: 5,
          }),
        { partitions: [0], states: new Map([[0, stored]]) },
      )
      // Only heads and index entries name partitions: their log ends are not in doubt.
      expect(conflict.partitions).toEqual([])
    })

    it('writes nothing when a state appeared that the writer did not see', async () => {
      const identity = await stores.producers.initProducer()
      const stored = stateAt(identity, 0, 5, 0)
      await commit(identity, [{ partition: 0, previous: undefined, next: stored }])
      await expectNothingWritten(
        identity,
        () =>
          commit(
            identity,
            [{ partition: 0, previous: undefined, next: stateAt(identity, 0, 5, 5) }],
            {
              baseOffset: 5,
            },
          ),
        { partitions: [0], states: new Map([[0, stored]]) },
      )
    })

    it('writes nothing when a head lost its race, naming its partition', async () => {
      const identity = await stores.producers.initProducer()
      await stores.committer.commit(topicId, [{ partition: 1, entry: entryAt(0) }], NOW)
      const conflict = await expectNothingWritten(
        identity,
        () =>
          commit(identity, [
            { partition: 0, previous: undefined, next: stateAt(identity, 0, 5, 0) },
            { partition: 1, previous: undefined, next: stateAt(identity, 0, 5, 0) },
          ]),
        { partitions: [0, 1], states: new Map() },
      )
      expect(conflict.partitions).toEqual([1])
    })

    it('writes nothing when asked to check an epoch that was fenced meanwhile', async () => {
      const transactionalId = `tx-${randomUUID()}`
      const fenced = await stores.producers.initProducer(transactionalId)
      await stores.producers.initProducer(transactionalId)
      await expectNothingWritten(
        fenced,
        () =>
          commit(fenced, [{ partition: 0, previous: undefined, next: stateAt(fenced, 0, 5, 0) }], {
            checkEpoch: true,
          }),
        { partitions: [0], states: new Map() },
      )
      expect(await stores.heads.readOne(topicId, 0)).toEqual(EMPTY_HEAD)
    })

    it('checks the epoch only when asked: a state read is guard enough otherwise', async () => {
      const transactionalId = `tx-${randomUUID()}`
      const older = await stores.producers.initProducer(transactionalId)
      await stores.producers.initProducer(transactionalId)
      await commit(older, [{ partition: 0, previous: undefined, next: stateAt(older, 0, 5, 0) }])
      expect((await stores.producers.view(older.producerId, topicId, [0])).states.get(0)).toEqual(
        stateAt(older, 0, 5, 0),
      )
    })

    it('fences older epochs by forgetting the producer states of a transactional id', async () => {
      const transactionalId = `tx-${randomUUID()}`
      const older = await stores.producers.initProducer(transactionalId)
      const stored = stateAt(older, 0, 5, 0)
      await commit(older, [{ partition: 0, previous: undefined, next: stored }])
      const newer = await stores.producers.initProducer(transactionalId)

      expect(await stores.producers.view(older.producerId, topicId, [0])).toEqual({
        epoch: newer.epoch,
        states: new Map(),
      })
      // The older session's next commit expects the state it read, which is gone.
      await expectNothingWritten(
        older,
        () =>
          commit(older, [{ partition: 0, previous: stored, next: stateAt(older, 5, 5, 5) }], {
            baseOffset: 5,
          }),
        { partitions: [0], states: new Map() },
      )
    })

    it('keeps producer states apart from the objects callers hold', async () => {
      const identity = await stores.producers.initProducer()
      const next = stateAt(identity, 0, 5, 0)
      await commit(identity, [{ partition: 0, previous: undefined, next }])
      ;(next.batches as unknown[]).length = 0
      const view = await stores.producers.view(identity.producerId, topicId, [0])
      ;(view.states.get(0)?.batches as unknown[]).length = 0
      expect(
        (await stores.producers.view(identity.producerId, topicId, [0])).states.get(0),
      ).toEqual(stateAt(identity, 0, 5, 0))
    })
  })
}
