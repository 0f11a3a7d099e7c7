import { beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import { loseResponse } from '../../support/faults.ts'
import {
  allOffsets,
  C,
  chunkedInit,
  createHarness,
  createTopic,
  expectError,
  type Harness,
  type Json,
  readRecords,
  readResponse,
  uniqueTopic,
} from './support.ts'

let h: Harness

beforeAll(async () => {
  h = await createHarness()
})

async function initProducer(
  body?: unknown,
): Promise<{ producer_id: number; producer_epoch: number }> {
  const response = await h.send('POST', `${C}/producers`, body)
  expect(response.status, response.text).toBe(200)
  return response.body
}

function entry(id: string, partition: number, sequence: number, data = id) {
  return { id, partition_id: partition, sequence, value: { type: 'STRING', data } }
}

async function batch(topic: string, body: unknown) {
  return h.send('POST', `${C}/topics/${topic}/records:batch`, body)
}

async function storedValues(topic: string, partition = 0): Promise<string[]> {
  return (await readRecords(h, topic, partition)).map((r: Json) => r.value.data)
}

describe('POST /producers', () => {
  it('issues a fresh producer id at epoch 0, and the next epoch for a transactional id', async () => {
    const first = await initProducer()
    const second = await initProducer()
    expect(first).toMatchObject({ kind: 'KafkaProducer', cluster_id: 'local', producer_epoch: 0 })
    expect(second.producer_id).not.toBe(first.producer_id)

    const session = await initProducer({ transactional_id: 'orders-writer' })
    const next = await initProducer({ transactional_id: 'orders-writer' })
    expect(next).toMatchObject({
      producer_id: session.producer_id,
      producer_epoch: session.producer_epoch + 1,
      transactional_id: 'orders-writer',
    })
  })

  it('refuses unknown fields', async () => {
    expectError(await h.send('POST', `${C}/producers`, { acks: 'all' }), 400, 400)
  })
})

describe('records:batch with a producer id', () => {
  it('answers a resent batch with the original offsets and stores it once', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic, 2)
    const { producer_id, producer_epoch } = await initProducer()
    const body = {
      producer_id,
      producer_epoch,
      entries: [entry('a', 0, 0), entry('b', 0, 1), entry('c', 1, 0)],
    }
    const first = await batch(topic, body)
    const again = await batch(topic, body)
    expect(first.status, first.text).toBe(207)
    expect(first.body.failures).toEqual([])
    const placed = (r: Json) => r.successes.map((s: Json) => [s.id, s.partition_id, s.offset])
    expect(placed(first.body)).toEqual([
      ['a', 0, 0],
      ['b', 0, 1],
      ['c', 1, 0],
    ])
    expect(again.body).toEqual(first.body)
    expect(await storedValues(topic, 0)).toEqual(['a', 'b'])
    expect(await storedValues(topic, 1)).toEqual(['c'])
  })

  it('reports a sequence gap and a fenced epoch with their codes, storing nothing', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const old = await initProducer({ transactional_id: `fence-${topic}` })
    const fields = { producer_id: old.producer_id, producer_epoch: old.producer_epoch }
    await batch(topic, { ...fields, entries: [entry('a', 0, 0)] })

    const gap = await batch(topic, { ...fields, entries: [entry('c', 0, 2)] })
    expect(gap.body.failures).toEqual([
      {
        id: 'c',
        error_code: 40904,
        message: 'OUT_OF_ORDER_SEQUENCE_NUMBER: partition 0 expected sequence 1, got 2.',
      },
    ])

    await initProducer({ transactional_id: `fence-${topic}` })
    const fenced = await batch(topic, { ...fields, entries: [entry('b', 0, 1)] })
    expect(fenced.body.failures).toMatchObject([
      { id: 'b', error_code: 40905, message: expect.stringMatching(/^INVALID_PRODUCER_EPOCH/) },
    ])
    expect(await storedValues(topic)).toEqual(['a'])
  })

  it('refuses a producer id without its epoch, and records without partition or sequence', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const { producer_id, producer_epoch } = await initProducer()
    expectError(
      await batch(topic, { producer_id, entries: [entry('a', 0, 0)] }),
      400,
      400,
      /producer_id and producer_epoch go together/,
    )
    const unplaced = await batch(topic, {
      producer_id,
      producer_epoch,
      entries: [{ id: 'x', sequence: 0, value: { type: 'STRING', data: 'x' } }],
    })
    expect(unplaced.body.failures).toMatchObject([{ id: 'x', error_code: 400 }])
    const anonymous = await batch(topic, { entries: [entry('y', 0, 0)] })
    expect(anonymous.body.failures).toMatchObject([
      { id: 'y', error_code: 400, message: expect.stringMatching(/needs producer_id/) },
    ])
    expect(await allOffsets(h, topic)).toEqual([{ earliest: 0, latest: 0 }])
  })
})

describe('records with a producer id', () => {
  it('takes the fields on each record, and answers a resend with the original offset', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const { producer_id, producer_epoch } = await initProducer()
    const one = {
      producer_id,
      producer_epoch,
      partition_id: 0,
      sequence: 0,
      value: { data: 1, type: 'JSON' },
    }
    const first = await h.send('POST', `${C}/topics/${topic}/records`, one)
    const again = await h.send('POST', `${C}/topics/${topic}/records`, one)
    expect(first.status, first.text).toBe(200)
    expect(again.body).toEqual(first.body)

    const stream = [1, 2, 3].map((sequence) =>
      JSON.stringify({ ...one, sequence, value: { type: 'JSON', data: sequence + 1 } }),
    )
    const streamed = await readResponse(
      await h.app.request(`${C}/topics/${topic}/records`, chunkedInit(stream)),
    )
    const reports = JSON.parse(`[${streamed.text.replaceAll('}{', '},{')}]`)
    expect(reports.map((r: Json) => [r.error_code, r.offset])).toEqual([
      [200, 1],
      [200, 2],
      [200, 3],
    ])
    expect((await readRecords(h, topic)).map((r: Json) => r.value.data)).toEqual([1, 2, 3, 4])
  })

  it('refuses records of one request that name different producers', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const { producer_id, producer_epoch } = await initProducer()
    const body =
      JSON.stringify({ producer_id, producer_epoch, partition_id: 0, sequence: 0, value: null }) +
      JSON.stringify({ partition_id: 0, value: null })
    expectError(
      await h.send('POST', `${C}/topics/${topic}/records`, body),
      400,
      400,
      /same producer_id/,
    )
  })
})

describe('a produce whose commit answer is lost', () => {
  it('is 500/50004 without a producer id: the records may or may not be stored', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const lose = loseResponse(h.storage.clients.dynamodb, 'TransactWriteItemsCommand')
    onTestFinished(() => lose.remove())
    vi.spyOn(console, 'error').mockImplementation(() => {})
    onTestFinished(() => {
      vi.restoreAllMocks()
    })
    const response = await h.send('POST', `${C}/topics/${topic}/records`, {
      value: { type: 'STRING', data: 'maybe' },
    })
    expectError(response, 500, 50004, /may or may not be stored.*producer id to retry safely/)
  })

  it('is answered with the offsets with a producer id, and the records are stored once', async () => {
    const topic = uniqueTopic()
    await createTopic(h, topic)
    const { producer_id, producer_epoch } = await initProducer()
    const lose = loseResponse(h.storage.clients.dynamodb, 'TransactWriteItemsCommand')
    onTestFinished(() => lose.remove())
    const response = await batch(topic, {
      producer_id,
      producer_epoch,
      entries: [entry('once', 0, 0)],
    })
    expect(lose.hits).toBeGreaterThan(0)
    expect(response.body.successes).toMatchObject([{ id: 'once', offset: 0 }])
    expect(await storedValues(topic)).toEqual(['once'])
  })
})
