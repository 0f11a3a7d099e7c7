import { ListObjectsV2Command } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { produce } from '../../../lib/broker/produce.ts'
import { CommitOutcomeUnknownError, RetriableStorageError } from '../../../lib/errors.ts'
import { MAX_PARTITIONS_PER_COMMIT } from '../../../lib/storage/ports/log.ts'
import type { TopicItem } from '../../../lib/storage/ports/topics.ts'
import {
  countCommands,
  failCommand,
  gateCommand,
  loseResponse,
  rewriteRequestBody,
} from '../../support/faults.ts'
import {
  contentOf,
  createTestBroker,
  indexEntries,
  produceOk,
  range,
  readAll,
  record,
  type TestBroker,
} from './helpers.ts'

const COMMIT = 'TransactWriteItemsCommand'

let ctx: TestBroker

beforeAll(async () => {
  // A short commit budget, so a request whose commit can never succeed gives up quickly.
  ctx = await createTestBroker({ appender: { commitTimeoutMs: 300 } })
})

interface WireItem {
  readonly Update?: {
    Key: { partitionKey: { S: string } }
    ConditionExpression: string
    ExpressionAttributeValues: Record<string, unknown>
  }
}

/**
 * Rewrites the head update of one partition in every commit so its condition
 * can never hold (no head has logEndOffset -1). DynamoDB itself then cancels
 * the transaction, exactly as it would on a lost race that never ends.
 */
function breakHeadCondition(topic: TopicItem, partition: number) {
  const fault = rewriteRequestBody(ctx.storage.clients.dynamodb, COMMIT, (body) => {
    for (const item of body.TransactItems as WireItem[]) {
      if (item.Update?.Key.partitionKey.S === `${topic.topicId}/${partition}`) {
        item.Update.ConditionExpression = 'logEndOffset = :base'
        item.Update.ExpressionAttributeValues[':base'] = { N: '-1' }
      }
    }
    return body
  })
  onTestFinished(() => fault.remove())
  return fault
}

/** One record for each of partitions 0, 1 and 2, in that order. */
function spanningRequest(label: string) {
  return range(3).map((partition) =>
    record({ partition, key: `k${partition}`, value: `${label}-${partition}` }),
  )
}

async function ingestObjects(topic: TopicItem): Promise<string[]> {
  const { Contents } = await ctx.storage.clients.s3.send(
    new ListObjectsV2Command({
      Bucket: ctx.storage.names.bucket,
      Prefix: `topics/${topic.topicId}/ingest/`,
    }),
  )
  return (Contents ?? []).map((object) => object.Key as string)
}

describe('a request spanning several partitions', () => {
  it('commits none of them when one partition cannot commit, and the topic works once that clears', async () => {
    const { broker, storage } = ctx
    const topic = await broker.topics.create({ name: 'all-or-none', partitionsCount: 3 })
    const counter = countCommands(storage.clients.dynamodb)
    onTestFinished(() => counter.remove())
    const fault = breakHeadCondition(topic, 1)

    const failed = produce(broker.appender, topic, spanningRequest('lost'))
    await expect(failed).rejects.toBeInstanceOf(RetriableStorageError)
    await expect(failed).rejects.toThrow(/all-or-none/)
    fault.remove()
    counter.remove()

    // The real engine refused the transaction (each time the appender tried
    // within its budget), blaming the head of partition 1 only: items are the
    // head and index item for partitions 0, 1, 2.
    const commits = counter.calls.filter((call) => call.commandName === COMMIT)
    expect(fault.hits).toBeGreaterThan(0)
    expect(commits).toHaveLength(fault.hits)
    for (const commit of commits) {
      expect(commit.error).toBe('TransactionCanceledException')
      expect(commit.cancellationReasons).toEqual([
        'None',
        'None',
        'ConditionalCheckFailed',
        'None',
        'None',
        'None',
      ])
    }

    // Partitions 0 and 2, whose conditions held, did not move either.
    const heads = await broker.topics.allOffsets(topic)
    for (const partition of range(3)) {
      expect(heads.get(partition)).toEqual({ logStartOffset: 0, logEndOffset: 0 })
      expect(await indexEntries(broker, topic, partition)).toEqual([])
      const read = await broker.reader.read(topic, partition, {
        start: { kind: 'earliest' },
        maxRecords: 100,
        maxBytes: 1 << 20,
        timeoutMs: 0,
      })
      expect(read.records).toEqual([])
      expect(read.nextOffset).toBe(0)
    }

    const acked = await produceOk(broker, topic, spanningRequest('kept'))
    expect(acked.map((a) => [a.partition, a.offset])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ])
    for (const partition of range(3)) {
      const log = await readAll(broker, topic, partition)
      expect(log.map((r) => [r.offset, Buffer.from(r.value ?? []).toString()])).toEqual([
        [0, `kept-${partition}`],
      ])
    }
  })

  it('leaves earlier records exactly as they were when a later request fails', async () => {
    const { broker } = ctx
    const topic = await broker.topics.create({ name: 'all-or-none-later', partitionsCount: 3 })
    await produceOk(broker, topic, spanningRequest('first'))
    await produceOk(broker, topic, spanningRequest('second'))
    const before = await Promise.all(range(3).map((p) => readAll(broker, topic, p)))
    const entriesBefore = await Promise.all(range(3).map((p) => indexEntries(broker, topic, p)))

    const fault = breakHeadCondition(topic, 2)
    await expect(produce(broker.appender, topic, spanningRequest('lost'))).rejects.toBeInstanceOf(
      RetriableStorageError,
    )
    fault.remove()
    expect(fault.hits).toBeGreaterThan(0)

    const heads = await broker.topics.allOffsets(topic)
    for (const partition of range(3)) {
      expect(heads.get(partition)).toEqual({ logStartOffset: 0, logEndOffset: 2 })
      expect(await indexEntries(broker, topic, partition)).toEqual(entriesBefore[partition])
      const after = await readAll(broker, topic, partition)
      expect(after.map(contentOf)).toEqual(before[partition]?.map(contentOf))
      expect(after.map((r) => r.offset)).toEqual([0, 1])
    }

    const acked = await produceOk(broker, topic, spanningRequest('third'))
    expect(acked.map((a) => a.offset)).toEqual([2, 2, 2])
  })

  it('holds for the widest request one transaction can carry (50 partitions)', async () => {
    const { broker } = ctx
    const width = MAX_PARTITIONS_PER_COMMIT
    const topic = await broker.topics.create({ name: 'all-or-none-wide', partitionsCount: width })
    const wide = (label: string) =>
      range(width).map((partition) => record({ partition, value: `${label}-${partition}` }))
    const fault = breakHeadCondition(topic, width - 1)

    await expect(produce(broker.appender, topic, wide('lost'))).rejects.toBeInstanceOf(
      RetriableStorageError,
    )
    fault.remove()
    expect(fault.hits).toBeGreaterThan(0)
    const heads = await broker.topics.allOffsets(topic)
    expect([...heads.values()].filter((head) => head.logEndOffset !== 0)).toEqual([])
    for (const partition of [0, 24, width - 2]) {
      expect(await indexEntries(broker, topic, partition)).toEqual([])
    }

    const acked = await produceOk(broker, topic, wide('kept'))
    expect(acked.map((a) => a.offset)).toEqual(range(width).map(() => 0))
  })
})

describe('a commit whose answer is lost on the way back', () => {
  it('is resent by the SDK as the same transaction, so its records land once', async () => {
    const { broker, storage } = ctx
    const topic = await broker.topics.create({ name: 'lost-answer' })
    const counter = countCommands(storage.clients.dynamodb)
    onTestFinished(() => counter.remove())
    const lose = loseResponse(storage.clients.dynamodb, COMMIT, { times: 1 })
    onTestFinished(() => lose.remove())

    const acked = await produceOk(broker, topic, [
      record({ value: 'once-0' }),
      record({ value: 'once-1' }),
    ])
    expect(lose.hits).toBe(1)
    expect(acked.map((a) => a.offset)).toEqual([0, 1])
    // One commit as the appender saw it: the retry happened inside the SDK, and succeeded.
    expect(counter.calls.filter((call) => call.commandName === COMMIT)).toEqual([
      { commandName: COMMIT },
    ])

    expect(await broker.topics.offsets(topic, 0)).toEqual({ logStartOffset: 0, logEndOffset: 2 })
    expect(await indexEntries(broker, topic, 0)).toHaveLength(1)
    const log = await readAll(broker, topic, 0)
    expect(log.map((r) => [r.offset, Buffer.from(r.value ?? []).toString()])).toEqual([
      [0, 'once-0'],
      [1, 'once-1'],
    ])
    const [next] = await produceOk(broker, topic, [record({ value: 'next' })])
    expect(next?.offset).toBe(2)
  })
})

describe('a crash between the S3 PUT and the commit', () => {
  it('leaves an object no reader sees, and the next request takes offset 0', async () => {
    const { broker, storage } = ctx
    const topic = await broker.topics.create({ name: 'crash', partitionsCount: 2 })
    const crash = failCommand(
      storage.clients.dynamodb,
      COMMIT,
      () => new Error('simulated crash: the process died before committing'),
      { times: 1 },
    )
    onTestFinished(() => crash.remove())

    const records = [
      record({ partition: 0, value: 'never-0' }),
      record({ partition: 1, value: 'never-1' }),
    ]
    // Without a producer id nothing can tell whether such a commit landed: the answer says so.
    const failed = produce(broker.appender, topic, records)
    await expect(failed).rejects.toBeInstanceOf(CommitOutcomeUnknownError)
    await expect(failed).rejects.toMatchObject({
      cause: { message: /simulated crash/ },
    })
    crash.remove()
    // Not retried: only a lost race is.
    expect(crash.hits).toBe(1)

    const orphans = await ingestObjects(topic)
    expect(orphans).toHaveLength(1)
    for (const partition of range(2)) {
      expect(await broker.topics.offsets(topic, partition)).toEqual({
        logStartOffset: 0,
        logEndOffset: 0,
      })
      expect(await indexEntries(broker, topic, partition)).toEqual([])
      expect(await readAll(broker, topic, partition)).toEqual([])
    }

    const acked = await produceOk(broker, topic, [
      record({ partition: 0, value: 'kept-0' }),
      record({ partition: 1, value: 'kept-1' }),
    ])
    expect(acked.map((a) => [a.partition, a.offset])).toEqual([
      [0, 0],
      [1, 0],
    ])
    for (const partition of range(2)) {
      const log = await readAll(broker, topic, partition)
      expect(log.map((r) => [r.offset, Buffer.from(r.value ?? []).toString()])).toEqual([
        [0, `kept-${partition}`],
      ])
      // The orphan is still there for GC, and nothing in the index points at it.
      const entries = await indexEntries(broker, topic, partition)
      expect(entries.map((e) => e.objectKey)).not.toContain(orphans[0])
    }
    const objects = await ingestObjects(topic)
    expect(objects).toHaveLength(2)
    expect(objects).toContain(orphans[0])
  })
})

describe('an upload that outlasts the commit budget', () => {
  it('is never committed, so garbage collection may reclaim objects past their grace period', async () => {
    const { broker, storage } = ctx
    const topic = await broker.topics.create({ name: 'slow-upload' })
    const counter = countCommands(storage.clients.dynamodb)
    onTestFinished(() => counter.remove())
    const gate = gateCommand(storage.clients.s3, 'PutObjectCommand', { times: 1 })
    onTestFinished(() => gate.remove())

    const slow = produce(broker.appender, topic, [record({ value: 'late' })])
    await gate.arrived(1)
    // Hold the upload past the 300 ms budget the broker was given.
    await new Promise((resolve) => setTimeout(resolve, 400))
    gate.open()

    await expect(slow).rejects.toBeInstanceOf(RetriableStorageError)
    expect(counter.count(COMMIT)).toBe(0)
    expect((await broker.topics.offsets(topic, 0)).logEndOffset).toBe(0)
    const acked = await produceOk(broker, topic, [record({ value: 'on time' })])
    expect(acked.map((a) => a.offset)).toEqual([0])
  })
})
