import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidArgumentError, SluiceRequestError } from '../../../lib/client/errors.ts'
import { Sluice } from '../../../lib/client/sluice.ts'
import { partitionForKey } from '../../../lib/common/partitioner.ts'
import { failCommand } from '../../support/faults.ts'
import { countingFetch, type ServedApp, serveApp, uniqueName } from './support.ts'

let served: ServedApp

beforeAll(async () => {
  served = await serveApp()
})

afterAll(async () => {
  await served?.close()
})

async function createTopic(sluice: Sluice, partitions: number): Promise<string> {
  const topic = uniqueName('producer')
  await sluice.admin().createTopics({ topics: [{ topic, numPartitions: partitions }] })
  return topic
}

/** Every record of a partition as `key=value`, in offset order. */
async function partitionContents(sluice: Sluice, topic: string, partition: number) {
  const { records } = await sluice.readPartition({
    topic,
    partition,
    from: 'earliest',
    maxRecords: 10_000,
  })
  return records.map((r) => `${r.key?.data}=${r.value?.data}`)
}

describe('a producer with linger', () => {
  it('batches many small sends into few requests, stored where murmur2 puts their keys', async () => {
    const counter = countingFetch()
    const sluice = new Sluice({ url: served.url, fetch: counter.fetch })
    const topic = await createTopic(sluice, 3)
    const producer = sluice.producer({ lingerMs: 200, batchSize: 1_000_000 })
    const sends = Array.from({ length: 300 }, (_, i) =>
      producer.send({ topic, messages: [{ key: `key-${i % 30}`, value: `value-${i}` }] }),
    )
    const reports = (await Promise.all(sends)).flat()
    await producer.disconnect()

    // 300 records in one linger window, spread over 3 partitions: one request holds them all.
    expect(counter.count('POST', '/records:batch')).toBe(1)
    reports.forEach((report, i) => {
      expect(report.partition).toBe(partitionForKey(Buffer.from(`key-${i % 30}`), 3))
    })
    for (let partition = 0; partition < 3; partition++) {
      const mine = reports.flatMap((report, i) => (report.partition === partition ? [i] : []))
      // Contiguous offsets from 0, in the order of the sends.
      expect(mine.map((i) => reports[i]?.offset)).toEqual(mine.map((_, n) => n))
      expect(await partitionContents(sluice, topic, partition)).toEqual(
        mine.map((i) => `key-${i % 30}=value-${i}`),
      )
    }
  })

  it('sends a full batch at once, lets a partial one linger, and flushes it on disconnect', async () => {
    const counter = countingFetch()
    const sluice = new Sluice({ url: served.url, fetch: counter.fetch })
    const topic = await createTopic(sluice, 1)
    const producer = sluice.producer({ lingerMs: 60_000, batchSize: 2_500 })
    const value = 'x'.repeat(1000)
    const settled: number[] = []
    // About 1,050 bytes an entry: two make a batch, the third starts the next one.
    const sends = [0, 1, 2].map((i) =>
      producer.send({ topic, messages: [{ value }] }).then((reports) => {
        settled.push(i)
        return reports
      }),
    )
    await Promise.all(sends.slice(0, 2))
    expect(settled).toEqual([0, 1])
    expect(counter.count('POST', '/records:batch')).toBe(1)
    await producer.disconnect()
    expect((await sends[2])?.[0]?.offset).toBe(2)
    expect(counter.count('POST', '/records:batch')).toBe(2)
  })

  it('without batching sends a request per record of a partition', async () => {
    const counter = countingFetch()
    const sluice = new Sluice({ url: served.url, fetch: counter.fetch })
    const topic = await createTopic(sluice, 1)
    const producer = sluice.producer({ lingerMs: 0, batchSize: 0 })
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => producer.send({ topic, messages: [{ value: `${i}` }] })),
    )
    await producer.disconnect()
    expect(counter.count('POST', '/records:batch')).toBe(10)
  })
})

describe('a producer meeting failures', () => {
  it('retries a request that failed for a retriable storage error, and stores it once', async () => {
    const counter = countingFetch()
    const sluice = new Sluice({
      url: served.url,
      fetch: counter.fetch,
      retry: { initialRetryTimeMs: 10, maxRetryTimeMs: 50 },
    })
    const topic = await createTopic(sluice, 2)
    const throttled = () =>
      Object.assign(new Error('Please reduce your request rate.'), {
        name: 'SlowDown',
        $fault: 'server',
        $metadata: {},
      })
    using fault = failCommand(served.storage.clients.s3, 'PutObjectCommand', throttled, {
      times: 2,
    })
    const producer = sluice.producer({ lingerMs: 20 })
    const reports = await producer.send({
      topic,
      messages: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
    })
    await producer.disconnect()
    expect(fault.hits).toBe(2)
    expect(counter.count('POST', '/records:batch')).toBe(3)
    expect(reports.map((r) => r.partition)).toEqual(
      ['a', 'b'].map((key) => partitionForKey(Buffer.from(key), 2)),
    )
    const stored = [
      ...(await partitionContents(sluice, topic, 0)),
      ...(await partitionContents(sluice, topic, 1)),
    ].sort()
    expect(stored).toEqual(['a=1', 'b=2'])
  })

  it('retries a request whose connection failed', async () => {
    let failures = 1
    const flaky: typeof fetch = (input, init) => {
      if (failures-- > 0) return Promise.reject(new TypeError('fetch failed'))
      return fetch(input, init)
    }
    const sluice = new Sluice({ url: served.url, fetch: flaky, retry: { initialRetryTimeMs: 10 } })
    const topic = await createTopic(sluice, 1)
    expect(failures).toBeLessThan(0)
    expect(await sluice.admin().listTopics()).toContain(topic)
  })

  it('rejects a send to a missing topic with the server error, and retries nothing', async () => {
    const counter = countingFetch()
    const sluice = new Sluice({ url: served.url, fetch: counter.fetch })
    const producer = sluice.producer()
    const error = await producer
      .send({ topic: 'no-such-topic', messages: [{ value: 'x' }] })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SluiceRequestError)
    expect(error).toMatchObject({ status: 404, errorCode: 40401, retriable: false })
    expect(counter.count('GET', '/topics/no-such-topic')).toBe(1)
    expect(counter.count('POST')).toBe(0)
  })

  it('refuses a whole send with a bad message before anything is queued', async () => {
    const counter = countingFetch()
    const sluice = new Sluice({ url: served.url, fetch: counter.fetch })
    const topic = await createTopic(sluice, 2)
    const producer = sluice.producer({ lingerMs: 0, maxRequestBytes: 10_000 })
    for (const [message, reason] of [
      [{ value: 'x', partition: 2 }, /partition is 2, but topic .* has 2 partition\(s\)/],
      [{ value: 'x', partition: -1 }, /partition must be a non-negative integer/],
      [{ value: 'x'.repeat(20_000) }, /more than maxRequestBytes \(10000\)/],
      [{ value: 'x', timestamp: Number.NaN }, /timestamp NaN is not a valid time/],
    ] as const) {
      await expect(
        producer.send({ topic, messages: [{ value: 'fine' }, message] }),
      ).rejects.toThrow(reason)
    }
    await expect(
      producer.send({ topic, messages: [{ value: 'x', partition: 9 }] }),
    ).rejects.toThrow(InvalidArgumentError)
    await producer.disconnect()
    expect(counter.count('POST', '/records:batch')).toBe(0)
    expect(await partitionContents(sluice, topic, 0)).toEqual([])
    expect(await partitionContents(sluice, topic, 1)).toEqual([])
  })

  it('delivers a send made just before disconnect, while its topic is still being looked up', async () => {
    const sluice = new Sluice({ url: served.url })
    const topic = await createTopic(sluice, 1)
    const producer = sluice.producer({ lingerMs: 60_000 })
    const sent = producer.send({ topic, messages: [{ value: 'last words' }] })
    await producer.disconnect()
    expect((await sent)[0]?.offset).toBe(0)
    expect(await partitionContents(sluice, topic, 0)).toEqual(['undefined=last words'])
  })

  it('refuses sends after disconnect', async () => {
    const sluice = new Sluice({ url: served.url })
    const topic = await createTopic(sluice, 1)
    const producer = sluice.producer()
    await producer.disconnect()
    await expect(producer.send({ topic, messages: [{ value: 'late' }] })).rejects.toThrow(
      'The producer is disconnected.',
    )
  })
})

/**
 * A fetch whose first `losses` produce requests reach the server and are
 * served, but whose answers never come back: the connection drops, as a
 * client sees a Lambda timeout or a reset socket.
 */
function losingProduceAnswers(losses: number) {
  const counter = countingFetch()
  let left = losses
  const fetchLosing: typeof fetch = async (input, init) => {
    const response = await counter.fetch(input, init)
    const url = String(input instanceof Request ? input.url : input)
    if (url.endsWith('/records:batch') && left-- > 0) {
      await response.arrayBuffer()
      throw new TypeError('fetch failed: the connection was reset')
    }
    return response
  }
  return { counter, fetch: fetchLosing }
}

describe('an idempotent producer (the default)', () => {
  it('stores a request whose answer was lost exactly once, and reports where', async () => {
    const { counter, fetch: losing } = losingProduceAnswers(2)
    const sluice = new Sluice({ url: served.url, fetch: losing, retry: { initialRetryTimeMs: 10 } })
    const topic = await createTopic(sluice, 2)
    const producer = sluice.producer({ lingerMs: 20 })
    const first = await producer.send({
      topic,
      messages: ['a', 'b', 'c'].map((value, i) => ({ value, partition: i % 2 })),
    })
    const second = await producer.send({ topic, messages: [{ value: 'd', partition: 0 }] })
    await producer.disconnect()

    expect(counter.count('POST', '/records:batch')).toBe(4)
    expect(counter.count('POST', '/producers')).toBe(1)
    expect([...first, ...second].map((r) => [r.partition, r.offset])).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [0, 2],
    ])
    expect(await partitionContents(sluice, topic, 0)).toEqual([
      'undefined=a',
      'undefined=c',
      'undefined=d',
    ])
    expect(await partitionContents(sluice, topic, 1)).toEqual(['undefined=b'])
  })

  it('without idempotence stores such a request twice: at least once', async () => {
    const { counter, fetch: losing } = losingProduceAnswers(1)
    const sluice = new Sluice({ url: served.url, fetch: losing, retry: { initialRetryTimeMs: 10 } })
    const topic = await createTopic(sluice, 1)
    const producer = sluice.producer({ idempotent: false })
    await producer.send({ topic, messages: [{ value: 'twice' }] })
    await producer.disconnect()
    expect(counter.count('POST', '/producers')).toBe(0)
    expect(await partitionContents(sluice, topic, 0)).toEqual([
      'undefined=twice',
      'undefined=twice',
    ])
  })

  it('starts a new session after a batch fails for good, so later batches are stored', async () => {
    const counter = countingFetch()
    const sluice = new Sluice({ url: served.url, fetch: counter.fetch })
    const topic = await createTopic(sluice, 1)
    const producer = sluice.producer({ lingerMs: 0 })
    await producer.send({ topic, messages: [{ value: 'one' }] })
    // The broker forgets nothing here; a refused batch stands in for one whose fate is unknown.
    await expect(
      producer.send({ topic, messages: [{ value: { type: 'AVRO', data: 1, schemaId: 999_999 } }] }),
    ).rejects.toThrow(SluiceRequestError)
    const [after] = await producer.send({ topic, messages: [{ value: 'two' }] })
    await producer.disconnect()
    expect(after?.offset).toBe(1)
    expect(counter.count('POST', '/producers')).toBe(2)
    expect(await partitionContents(sluice, topic, 0)).toEqual(['undefined=one', 'undefined=two'])
  })

  it('keeps one request in flight per topic', () => {
    const sluice = new Sluice({ url: served.url })
    expect(() => sluice.producer({ maxInFlightRequests: 2 })).toThrow(/idempotent: false/)
    expect(() => sluice.producer({ maxInFlightRequests: 2, idempotent: false })).not.toThrow()
  })
})
