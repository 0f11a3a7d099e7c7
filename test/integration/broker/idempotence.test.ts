import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { AppendOutcome } from '../../../lib/broker/appender.ts'
import { produce } from '../../../lib/broker/produce.ts'
import type { ProduceRecord } from '../../../lib/broker/produce-record.ts'
import {
  BadRequestError,
  CommitOutcomeUnknownError,
  InvalidProducerEpochError,
  InvalidRecordError,
  OutOfOrderSequenceError,
  UnknownProducerIdError,
} from '../../../lib/errors.ts'
import { readBatchHeader } from '../../../lib/log/record-batch.ts'
import { S3ObjectStore } from '../../../lib/storage/aws/objects.ts'
import { MAX_IDEMPOTENT_PARTITIONS_PER_COMMIT } from '../../../lib/storage/ports/log.ts'
import type { TopicItem } from '../../../lib/storage/ports/topics.ts'
import type { ProducerIdentity } from '../../../lib/storage/producer-sequences.ts'
import { countCommands, loseResponse } from '../../support/faults.ts'
import {
  createTestBroker,
  indexEntries,
  range,
  readAll,
  record,
  type TestBroker,
} from './helpers.ts'

const COMMIT = 'TransactWriteItemsCommand'

let ctx: TestBroker

beforeAll(async () => {
  ctx = await createTestBroker()
})

/** Records of one partition with consecutive sequences from `first`. */
function sequenced(partition: number, first: number, values: readonly string[]): ProduceRecord[] {
  return values.map((value, i) => ({
    ...record({ partition, value }),
    sequence: first + i,
  }))
}

function offsetsOf(outcomes: readonly AppendOutcome[]): number[] {
  return outcomes.map((outcome) => {
    if (!outcome.ok) throw outcome.error
    return outcome.offset
  })
}

function errorsOf(outcomes: readonly AppendOutcome[]) {
  return outcomes.map((outcome) => (outcome.ok ? undefined : outcome.error))
}

async function values(topic: TopicItem, partition: number): Promise<string[]> {
  const log = await readAll(ctx.broker, topic, partition)
  return log.map((r) => Buffer.from(r.value ?? []).toString())
}

async function topicNamed(name: string, partitionsCount = 1): Promise<TopicItem> {
  return ctx.broker.topics.create({ name, partitionsCount })
}

async function newProducer(transactionalId?: string): Promise<ProducerIdentity> {
  return ctx.broker.producers.initProducer(transactionalId)
}

describe('producer ids', () => {
  it('are unique and start at epoch 0', async () => {
    const ids = await Promise.all(range(8).map(() => newProducer()))
    expect(new Set(ids.map((id) => id.producerId)).size).toBe(8)
    expect(ids.every((id) => id.epoch === 0)).toBe(true)
  })

  it('keep their id under a transactional id, one epoch more each session', async () => {
    const first = await newProducer('billing')
    const second = await newProducer('billing')
    const other = await newProducer('shipping')
    expect(second).toEqual({ producerId: first.producerId, epoch: 1 })
    expect(other.producerId).not.toBe(first.producerId)
  })

  it('are issued when the answers to their writes are lost and the SDK resends them', async () => {
    const lose = loseResponse(ctx.storage.clients.dynamodb, 'PutItemCommand', { times: 2 })
    onTestFinished(() => lose.remove())
    const claimed = await newProducer('resent')
    expect(lose.hits).toBe(2)
    expect(claimed.epoch).toBe(0)
    lose.remove()
    const fresh = await newProducer()
    expect(fresh.producerId).toBeGreaterThan(claimed.producerId)
  })
})

describe('an idempotent produce', () => {
  it('answers a batch sent again with its original offsets and stores it once', async () => {
    const topic = await topicNamed('dup', 2)
    const producer = await newProducer()
    const request = [...sequenced(0, 0, ['a', 'b']), ...sequenced(1, 0, ['c'])]
    await produce(ctx.broker.appender, topic, [record({ partition: 0, value: 'other' })])

    const first = await produce(ctx.broker.appender, topic, request, producer)
    // Another producer writes in between: the resend must not take the new end offsets.
    await produce(ctx.broker.appender, topic, [record({ partition: 0, value: 'later' })])
    const again = await produce(ctx.broker.appender, topic, request, producer)

    expect(offsetsOf(first)).toEqual([1, 2, 0])
    expect(offsetsOf(again)).toEqual([1, 2, 0])
    expect(again.map((o) => o.ok && o.timestamp)).toEqual(first.map((o) => o.ok && o.timestamp))
    expect(await values(topic, 0)).toEqual(['other', 'a', 'b', 'later'])
    expect(await values(topic, 1)).toEqual(['c'])
    expect(await indexEntries(ctx.broker, topic, 0)).toHaveLength(3)

    const next = await produce(ctx.broker.appender, topic, sequenced(0, 2, ['d']), producer)
    expect(offsetsOf(next)).toEqual([4])
  })

  it('recognises records resent in other groupings, as long as each was stored', async () => {
    const topic = await topicNamed('regrouped')
    const producer = await newProducer()
    await produce(ctx.broker.appender, topic, sequenced(0, 0, ['a', 'b']), producer)
    await produce(ctx.broker.appender, topic, sequenced(0, 2, ['c', 'd']), producer)

    const resent = await produce(ctx.broker.appender, topic, sequenced(0, 1, ['b', 'c']), producer)
    expect(offsetsOf(resent)).toEqual([1, 2])
    // Half stored, half new: not a duplicate, and not the next batch either.
    const overlapping = await produce(
      ctx.broker.appender,
      topic,
      sequenced(0, 3, ['d', 'e']),
      producer,
    )
    expect(errorsOf(overlapping)[0]).toBeInstanceOf(OutOfOrderSequenceError)
    expect(await values(topic, 0)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('refuses a sequence gap with the sequence it expected, and stores nothing of it', async () => {
    const topic = await topicNamed('gap', 2)
    const producer = await newProducer()
    await produce(ctx.broker.appender, topic, sequenced(0, 0, ['a']), producer)

    const gapped = await produce(
      ctx.broker.appender,
      topic,
      [...sequenced(0, 2, ['c']), ...sequenced(1, 0, ['x'])],
      producer,
    )
    const [error] = errorsOf(gapped)
    expect(error).toBeInstanceOf(OutOfOrderSequenceError)
    expect(error).toMatchObject({ expectedSequence: 1 })
    expect(error?.message).toMatch(
      /^OUT_OF_ORDER_SEQUENCE_NUMBER: partition 0 expected sequence 1, got 2/,
    )
    // Partitions stand alone, as in Kafka: partition 1's batch is fine.
    expect(gapped[1]).toMatchObject({ ok: true, partition: 1, offset: 0 })
    expect(await values(topic, 0)).toEqual(['a'])

    const first = await produce(
      ctx.broker.appender,
      topic,
      sequenced(0, 5, ['z']),
      await newProducer(),
    )
    expect(errorsOf(first)[0]).toMatchObject({ expectedSequence: 0 })
  })

  it('refuses a whole batch when one of its records is refused, so no sequence is skipped', async () => {
    // A compacted topic refuses records without a key.
    const topic = await ctx.broker.topics.create({
      name: 'spoiled',
      partitionsCount: 2,
      configs: { 'cleanup.policy': 'compact' },
    })
    const producer = await newProducer()
    const keyed = (partition: number, sequence: number, value: string) => ({
      ...record({ partition, key: value, value }),
      sequence,
    })
    const outcomes = await produce(
      ctx.broker.appender,
      topic,
      [
        keyed(0, 0, 'a'),
        { ...record({ partition: 0, value: 'no key' }), sequence: 1 },
        keyed(1, 0, 'c'),
        record({ partition: 1, key: 'k', value: 'no sequence' }),
      ],
      producer,
    )
    const errors = errorsOf(outcomes)
    expect(errors[0]).toBeInstanceOf(InvalidRecordError)
    expect(errors[1]).toBeDefined()
    expect(outcomes[2]).toMatchObject({ ok: true, offset: 0 })
    expect(errors[3]).toBeInstanceOf(BadRequestError)
    expect(await values(topic, 0)).toEqual([])
  })

  it('refuses unknown producer ids, unissued epochs and sequences without a producer', async () => {
    const topic = await topicNamed('strangers')
    const known = await newProducer()
    const unknown = await produce(ctx.broker.appender, topic, sequenced(0, 0, ['a']), {
      producerId: known.producerId + 1_000_000,
      epoch: 0,
    })
    expect(errorsOf(unknown)[0]).toBeInstanceOf(UnknownProducerIdError)
    const future = await produce(ctx.broker.appender, topic, sequenced(0, 0, ['a']), {
      producerId: known.producerId,
      epoch: 3,
    })
    expect(errorsOf(future)[0]).toBeInstanceOf(InvalidProducerEpochError)
    const anonymous = await produce(ctx.broker.appender, topic, sequenced(0, 0, ['a']))
    expect(errorsOf(anonymous)[0]).toBeInstanceOf(BadRequestError)
    expect(await values(topic, 0)).toEqual([])
  })

  it('writes the producer id, epoch and base sequence into the stored batch', async () => {
    const topic = await topicNamed('header')
    const producer = await newProducer()
    await produce(ctx.broker.appender, topic, sequenced(0, 0, ['a']), producer)
    await produce(ctx.broker.appender, topic, sequenced(0, 1, ['b', 'c']), producer)
    const [, entry] = await indexEntries(ctx.broker, topic, 0)
    if (!entry) throw new Error('the second batch has no index entry')
    const objects = new S3ObjectStore(ctx.storage.clients.s3, ctx.storage.names.bucket)
    const bytes = await objects.getRange(entry.objectKey, entry.byteOffset, entry.byteLength)
    expect(readBatchHeader(bytes)).toMatchObject({
      producerId: producer.producerId,
      producerEpoch: 0,
      baseSequence: 1,
      recordsCount: 2,
    })
  })
})

describe('a request wider than one transaction', () => {
  it('commits 33 partitions a transaction, each stored once however often it is sent', async () => {
    const width = MAX_IDEMPOTENT_PARTITIONS_PER_COMMIT + 7
    const topic = await topicNamed('wide', width)
    const producer = await newProducer()
    const request = range(width).flatMap((partition) => sequenced(partition, 0, [`v${partition}`]))
    const counter = countCommands(ctx.storage.clients.dynamodb)
    onTestFinished(() => counter.remove())

    const first = await produce(ctx.broker.appender, topic, request, producer)
    expect(counter.count(COMMIT)).toBe(2)
    const again = await produce(ctx.broker.appender, topic, request, producer)
    expect(counter.count(COMMIT)).toBe(2)
    expect(offsetsOf(first)).toEqual(range(width).map(() => 0))
    expect(offsetsOf(again)).toEqual(offsetsOf(first))
    for (const partition of [0, MAX_IDEMPOTENT_PARTITIONS_PER_COMMIT, width - 1]) {
      expect(await values(topic, partition)).toEqual([`v${partition}`])
    }
  })
})

describe('a new epoch', () => {
  it('fences the old session everywhere, including partitions it never wrote to', async () => {
    const topic = await topicNamed('fenced', 3)
    const old = await newProducer('fence-me')
    await produce(ctx.broker.appender, topic, sequenced(0, 0, ['old-0']), old)
    const current = await newProducer('fence-me')
    expect(current.epoch).toBe(old.epoch + 1)

    for (const partition of [0, 1]) {
      const sequence = partition === 0 ? 1 : 0
      const refused = await produce(
        ctx.broker.appender,
        topic,
        sequenced(partition, sequence, ['stale']),
        old,
      )
      const [error] = errorsOf(refused)
      expect(error).toBeInstanceOf(InvalidProducerEpochError)
      expect(error?.message).toMatch(/^INVALID_PRODUCER_EPOCH: .*fenced by epoch 1/)
    }
    // The new session starts its sequences over.
    const fresh = await produce(ctx.broker.appender, topic, sequenced(0, 0, ['new-0']), current)
    expect(offsetsOf(fresh)).toEqual([1])
    expect(await values(topic, 0)).toEqual(['old-0', 'new-0'])
    expect(await values(topic, 1)).toEqual([])
  })
})

describe('a commit whose answer is lost', () => {
  /** Every answer lost, through all of the SDK's own attempts: the commit's outcome is unknown. */
  function loseEveryAttempt() {
    const lose = loseResponse(ctx.storage.clients.dynamodb, COMMIT)
    onTestFinished(() => lose.remove())
    return lose
  }

  it('is reported as unknown without a producer id, never as safe to retry', async () => {
    const topic = await topicNamed('unknown-outcome')
    const lose = loseEveryAttempt()
    const failed = produce(ctx.broker.appender, topic, [record({ value: 'maybe' })])
    await expect(failed).rejects.toBeInstanceOf(CommitOutcomeUnknownError)
    await expect(failed).rejects.toThrow(/may or may not be stored/)
    expect(lose.hits).toBeGreaterThan(1)
    // It did land: exactly the case a blind retry would have doubled.
    expect(await values(topic, 0)).toEqual(['maybe'])
  })

  it('is resolved with a producer id: the broker finds its batch stored and answers with its offsets', async () => {
    const topic = await topicNamed('resolved-outcome')
    const producer = await newProducer()
    await produce(ctx.broker.appender, topic, [record({ value: 'before' })])
    const counter = countCommands(ctx.storage.clients.dynamodb)
    onTestFinished(() => counter.remove())
    const lose = loseEveryAttempt()

    const outcomes = await produce(
      ctx.broker.appender,
      topic,
      sequenced(0, 0, ['x', 'y']),
      producer,
    )
    expect(lose.hits).toBeGreaterThan(1)
    expect(offsetsOf(outcomes)).toEqual([1, 2])
    // One transaction (its answer lost), then a read that found the batch: no second commit.
    expect(counter.count(COMMIT)).toBe(1)
    expect(await values(topic, 0)).toEqual(['before', 'x', 'y'])

    // The client resending after a lost HTTP answer gets the same offsets, and no copy.
    const resent = await produce(ctx.broker.appender, topic, sequenced(0, 0, ['x', 'y']), producer)
    expect(offsetsOf(resent)).toEqual([1, 2])
    expect(await values(topic, 0)).toEqual(['before', 'x', 'y'])
  })
})

describe('idempotent producers racing on one partition', () => {
  it('get contiguous offsets, each in its own sequence order, with no duplicate', async () => {
    const topic = await topicNamed('race')
    const writers = 5
    const requests = 8
    const producers = await Promise.all(range(writers).map(() => newProducer()))
    // Every fifth commit loses its answers, so resolving unknown outcomes races too.
    const lose = loseResponse(ctx.storage.clients.dynamodb, COMMIT, { times: 6 })
    onTestFinished(() => lose.remove())

    const acked = await Promise.all(
      producers.map(async (producer, writer) => {
        const offsets: number[] = []
        for (let r = 0; r < requests; r++) {
          const batch = sequenced(0, r * 2, [`${writer}-${r * 2}`, `${writer}-${r * 2 + 1}`])
          let outcomes = await produce(ctx.broker.appender, topic, batch, producer)
          // A client resends every other request, as after a lost HTTP answer.
          if (r % 2 === 1) {
            const resent = await produce(ctx.broker.appender, topic, batch, producer)
            expect(offsetsOf(resent)).toEqual(offsetsOf(outcomes))
            outcomes = resent
          }
          offsets.push(...offsetsOf(outcomes))
        }
        return offsets
      }),
    )
    const total = writers * requests * 2
    expect(acked.flat().sort((a, b) => a - b)).toEqual(range(total))
    const log = await values(topic, 0)
    expect(log).toHaveLength(total)
    expect(new Set(log).size).toBe(total)
    producers.forEach((_, writer) => {
      const mine = log.filter((value) => value.startsWith(`${writer}-`))
      expect(mine).toEqual(range(requests * 2).map((n) => `${writer}-${n}`))
      // Each acknowledgement names where the record really is.
      acked[writer]?.forEach((offset, n) => {
        expect(log[offset]).toBe(`${writer}-${n}`)
      })
    })
  })
})
