import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb'
import { NoSuchBucket, S3ServiceException } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { API_KEYS } from '../../../lib/kafka/protocol/apis.ts'
import { ErrorCode } from '../../../lib/kafka/protocol/error-codes.ts'
import { decodeRequestFrame } from '../../../lib/kafka/protocol/frames.ts'
import { defaultFetchRequest } from '../../../lib/kafka/protocol/messages/fetch-request.ts'
import type { FetchResponse } from '../../../lib/kafka/protocol/messages/fetch-response.ts'
import {
  defaultInitProducerIdRequest,
  type InitProducerIdRequest,
} from '../../../lib/kafka/protocol/messages/init-producer-id-request.ts'
import type { InitProducerIdResponse } from '../../../lib/kafka/protocol/messages/init-producer-id-response.ts'
import type { ListOffsetsResponse } from '../../../lib/kafka/protocol/messages/list-offsets-response.ts'
import type { MetadataResponse } from '../../../lib/kafka/protocol/messages/metadata-response.ts'
import type { ProduceRequest } from '../../../lib/kafka/protocol/messages/produce-request.ts'
import type { ProduceResponse } from '../../../lib/kafka/protocol/messages/produce-response.ts'
import { crc32c } from '../../../lib/log/crc32c.ts'
import {
  batchByteLength,
  decodeRecordBatches,
  encodeRecordBatch,
  readBatchHeader,
} from '../../../lib/log/record-batch.ts'
import { failCommand, type SdkClient } from '../../support/faults.ts'
import { WireClient } from '../../support/wire-client.ts'
import { capturedRequests } from '../../unit/kafka/captured-requests.ts'
import { indexEntries } from '../broker/helpers.ts'
import { createTopic, useKafkaHarness } from './support.ts'

/** The record batches kcat sent, one per codec, keyed by the codec in their values. */
function kcatBatches(): Map<string, Buffer> {
  const batches = new Map<string, Buffer>()
  for (const captured of capturedRequests.filter((c) => c.client === 'kcat' && c.apiKey === 0)) {
    const frame = decodeRequestFrame(Buffer.from(captured.hex, 'hex'))
    if (frame.kind !== 'request') throw new Error('fixture is not a request')
    const records = (frame.request.body as ProduceRequest).topicData[0]?.partitionData[0]?.records
    if (!records) throw new Error('fixture has no records')
    const value = Buffer.from(decodeRecordBatches(records)[0]?.value ?? []).toString()
    batches.set(value.replace('v1-', ''), Buffer.from(records))
  }
  return batches
}

function produceBody(topic: string, records: Uint8Array, acks = -1, partition = 0): ProduceRequest {
  return {
    transactionalId: null,
    acks,
    timeoutMs: 5000,
    topicData: [
      {
        name: topic,
        topicId: '00000000-0000-0000-0000-000000000000',
        partitionData: [{ index: partition, records }],
      },
    ],
  }
}

function fetchBody(
  topic: string,
  fetchOffset: number,
  maxWaitMs = 0,
  partition = 0,
  partitionMaxBytes = 1024 * 1024,
) {
  return {
    ...defaultFetchRequest(),
    replicaId: -1,
    maxWaitMs,
    minBytes: 1,
    maxBytes: 1024 * 1024,
    topics: [
      {
        topic,
        topicId: '00000000-0000-0000-0000-000000000000',
        partitions: [
          {
            partition,
            currentLeaderEpoch: -1,
            fetchOffset,
            lastFetchedEpoch: -1,
            logStartOffset: -1,
            partitionMaxBytes,
            replicaDirectoryId: '00000000-0000-0000-0000-000000000000',
            highWatermark: 2 ** 63,
          },
        ],
      },
    ],
  }
}

const PRODUCE_V = 7
/** The first Produce version whose partition answers carry an error message. */
const PRODUCE_WITH_MESSAGES_V = 8
const FETCH_V = 11
const INIT_PRODUCER_ID_V = 4
/** The attributes bit of a batch that belongs to a transaction. */
const TRANSACTIONAL_BIT = 0x10

/** The record batches a fetch from `offset` answers, as bytes. */
async function fetchRecords(client: WireClient, topic: string, offset: number): Promise<Buffer> {
  const fetched = await client.send<FetchResponse>(
    API_KEYS.Fetch,
    FETCH_V,
    fetchBody(topic, offset),
  )
  return Buffer.from(fetched.responses[0]?.partitions[0]?.records ?? [])
}

describe('the Kafka gateway on the wire', () => {
  const harness = useKafkaHarness()

  it('stores each client batch as sent, compressed too, and serves it back with its base offset set', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'as-sent')
    const client = await WireClient.connect(gateway.bootstrap)
    const batches = kcatBatches()
    let expectedBase = 0
    for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
      const sent = batches.get(codec) as Buffer
      const response = await client.send<ProduceResponse>(
        API_KEYS.Produce,
        PRODUCE_V,
        produceBody('as-sent', sent),
      )
      const partition = response.responses[0]?.partitionResponses[0]
      expect(partition).toMatchObject({ errorCode: 0, baseOffset: expectedBase })

      const topic = await http.broker.topics.describe('as-sent')
      const entry = await http.broker.segments.floor(topic.topicId, 0, expectedBase)
      const stored = await http.broker.objects.getRange(
        entry?.objectKey ?? '',
        entry?.byteOffset ?? 0,
        entry?.byteLength ?? 0,
      )
      // Everything but the base offset (bytes 0-7, outside the CRC) is the client's.
      expect(Buffer.from(stored).subarray(8)).toEqual(sent.subarray(8))

      const records = await fetchRecords(client, 'as-sent', expectedBase)
      expect(records.subarray(8)).toEqual(sent.subarray(8))
      expect(Number(records.readBigInt64BE(0))).toBe(expectedBase)
      expectedBase += decodeRecordBatches(sent).length
    }
    const rest = await http.get(
      '/v3/clusters/local/topics/as-sent/partitions/0/records?offset=0&max_records=100',
    )
    const values = rest.body.data.map((r: { value: { data: string } }) =>
      Buffer.from(r.value.data, 'base64').toString(),
    )
    const sentValues = ['none', 'gzip', 'snappy', 'lz4', 'zstd'].flatMap((codec) =>
      decodeRecordBatches(batches.get(codec) as Buffer).map((r) =>
        Buffer.from(r.value ?? []).toString(),
      ),
    )
    expect(values).toEqual(sentValues)
    expect(values).toContain('v2-zstd')
    client.close()
  })

  it('serves a fetch from the middle of a merged segment from a range GET of part of it', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'merged-fetch')
    const topic = await http.broker.topics.describe('merged-fetch')
    const value = (n: number) => `${n}:${'m'.repeat(1000)}`
    for (let request = 0; request < 40; request++) {
      const records = Array.from({ length: 10 }, (_, i) => ({
        key: null,
        value: { format: 'BINARY' as const, bytes: Buffer.from(value(request * 10 + i)) },
        headers: [],
      }))
      const outcomes = await http.broker.appender.append(topic, records)
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true)
    }
    await http.maintenance.run({ tasks: ['merge'], budgetMs: 60_000, topics: [topic.name] })
    const [segment, ...others] = await indexEntries(http.broker, topic, 0)
    expect(others).toEqual([])
    const ranges: number[] = []
    const name = 'capture-fetch-ranges'
    http.storage.clients.s3.middlewareStack.add(
      (next, context) => async (args) => {
        const range = (args.input as { Range?: string }).Range
        if (context.commandName === 'GetObjectCommand' && range) {
          const [start, end] = range.replace('bytes=', '').split('-').map(Number)
          ranges.push((end as number) - (start as number) + 1)
        }
        return next(args)
      },
      { step: 'initialize', name },
    )
    const client = await WireClient.connect(gateway.bootstrap)
    try {
      const fetched = await client.send<FetchResponse>(
        API_KEYS.Fetch,
        FETCH_V,
        fetchBody('merged-fetch', 250, 0, 0, 64 * 1024),
      )
      const records = decodeRecordBatches(
        fetched.responses[0]?.partitions[0]?.records ?? new Uint8Array(),
      )
      // Whole batches from the one holding offset 250, up to the 64 KiB asked for.
      expect(records[0]?.offset).toBe(250)
      expect(records.length).toBeGreaterThanOrEqual(50)
      expect(records.length).toBeLessThan(80)
      for (const record of records) {
        expect(Buffer.from(record.value ?? []).toString()).toBe(value(record.offset))
      }
    } finally {
      http.storage.clients.s3.middlewareStack.remove(name)
      client.close()
    }
    expect(ranges.length).toBeGreaterThan(0)
    for (const length of ranges) expect(length).toBeLessThan((segment?.byteLength ?? 0) / 2)
  })

  it('answers pipelined requests in order, and never answers acks=0', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'pipelined')
    const client = await WireClient.connect(gateway.bootstrap)
    const batch = kcatBatches().get('none') as Buffer
    const silent = client.frame(API_KEYS.Produce, PRODUCE_V, produceBody('pipelined', batch, 0))
    const metadata = client.frame(API_KEYS.Metadata, 4, {
      topics: null,
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    })
    const acked = client.frame(API_KEYS.Produce, PRODUCE_V, produceBody('pipelined', batch, 1))
    client.write(Buffer.concat([silent.bytes, metadata.bytes, acked.bytes]))
    const first = client.decode<MetadataResponse>(await client.nextFrame(), API_KEYS.Metadata, 4)
    const second = client.decode<ProduceResponse>(
      await client.nextFrame(),
      API_KEYS.Produce,
      PRODUCE_V,
    )
    expect(first.correlationId).toBe(metadata.correlationId)
    expect(first.body.topics.map((t) => t.name)).toContain('pipelined')
    expect(second.correlationId).toBe(acked.correlationId)
    // The acks=0 batch went first, so the acknowledged one follows it.
    expect(second.body.responses[0]?.partitionResponses[0]?.baseOffset).toBe(2)
    client.close()
  })

  it('refuses a batch whose CRC does not match, and stores nothing', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'corrupt')
    const client = await WireClient.connect(gateway.bootstrap)
    const batch = Buffer.from(kcatBatches().get('gzip') as Buffer)
    batch[batch.length - 1] = (batch[batch.length - 1] as number) ^ 0xff
    const response = await client.send<ProduceResponse>(
      API_KEYS.Produce,
      PRODUCE_V,
      produceBody('corrupt', batch),
    )
    expect(response.responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE)
    const topic = await http.broker.topics.describe('corrupt')
    expect(await http.broker.heads.readOne(topic.topicId, 0)).toEqual({
      logStartOffset: 0,
      logEndOffset: 0,
    })
    client.close()
  })

  it('refuses what the topic would refuse, storing nothing: too large, keyless on compacted, transactional', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'strict', 1, {
      'max.message.bytes': '200',
      'cleanup.policy': 'compact',
    })
    const client = await WireClient.connect(gateway.bootstrap)
    const batch = (key: string | null, valueBytes: number) =>
      encodeRecordBatch(
        [
          {
            key: key === null ? null : Buffer.from(key),
            value: Buffer.alloc(valueBytes),
            headers: [],
            timestamp: Date.now(),
          },
        ],
        { timestampType: 'CreateTime' },
      )
    const transactional = batch('k', 10)
    transactional.writeInt16BE(transactional.readInt16BE(21) | TRANSACTIONAL_BIT, 21)
    transactional.writeUInt32BE(crc32c(transactional.subarray(21)), 17)
    const codeOf = async (records: Buffer) =>
      (
        await client.send<ProduceResponse>(
          API_KEYS.Produce,
          PRODUCE_V,
          produceBody('strict', records),
        )
      ).responses[0]?.partitionResponses[0]?.errorCode
    expect(await codeOf(batch('k', 500))).toBe(ErrorCode.MESSAGE_TOO_LARGE)
    expect(await codeOf(batch(null, 10))).toBe(ErrorCode.INVALID_RECORD)
    expect(await codeOf(transactional)).toBe(ErrorCode.INVALID_RECORD)
    expect(await codeOf(Buffer.concat([batch('k', 10), Buffer.from([1, 2, 3])]))).toBe(
      ErrorCode.CORRUPT_MESSAGE,
    )
    const topic = await http.broker.topics.describe('strict')
    expect(await http.broker.heads.readOne(topic.topicId, 0)).toEqual({
      logStartOffset: 0,
      logEndOffset: 0,
    })
    expect(await codeOf(batch('k', 10))).toBe(ErrorCode.NONE)
    client.close()
  })

  it('stamps LogAppendTime on batches for topics that ask for it, keeping the CRC valid', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'append-time', 1, { 'message.timestamp.type': 'LogAppendTime' })
    const client = await WireClient.connect(gateway.bootstrap)
    const before = Date.now()
    const sent = kcatBatches().get('zstd') as Buffer
    const produced = await client.send<ProduceResponse>(
      API_KEYS.Produce,
      PRODUCE_V,
      produceBody('append-time', sent),
    )
    const appendTime = produced.responses[0]?.partitionResponses[0]?.logAppendTimeMs ?? -1
    expect(appendTime).toBeGreaterThanOrEqual(before)
    const records = await fetchRecords(client, 'append-time', 0)
    expect(readBatchHeader(records)).toMatchObject({
      timestampType: 'LogAppendTime',
      maxTimestamp: appendTime,
    })
    expect(decodeRecordBatches(records).map((r) => r.timestamp)).toEqual([appendTime, appendTime])
    client.close()
  })

  it('answers unknown topics and partitions with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'one-partition')
    const client = await WireClient.connect(gateway.bootstrap)
    const batch = kcatBatches().get('none') as Buffer
    const missing = await client.send<ProduceResponse>(
      API_KEYS.Produce,
      PRODUCE_V,
      produceBody('no-such-topic', batch),
    )
    const beyond = await client.send<ProduceResponse>(
      API_KEYS.Produce,
      PRODUCE_V,
      produceBody('one-partition', batch, -1, 5),
    )
    const fetched = await client.send<FetchResponse>(
      API_KEYS.Fetch,
      FETCH_V,
      fetchBody('no-such-topic', 0),
    )
    for (const code of [
      missing.responses[0]?.partitionResponses[0]?.errorCode,
      beyond.responses[0]?.partitionResponses[0]?.errorCode,
      fetched.responses[0]?.partitions[0]?.errorCode,
    ]) {
      expect(code).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    }
    client.close()
  })

  it('answers a produce whose storage fails with the code a client acts on, and no service message', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'failing-storage')
    const client = await WireClient.connect(gateway.bootstrap)
    const batch = kcatBatches().get('none') as Buffer
    /** The answer to a produce whose `command` fails once, as the service would fail it. */
    const produceMeeting = async (sdk: SdkClient, command: string, failure: () => Error) => {
      using _fault = failCommand(sdk, command, failure, { times: 1 })
      const answer = await client.send<ProduceResponse>(
        API_KEYS.Produce,
        PRODUCE_WITH_MESSAGES_V,
        produceBody('failing-storage', batch),
      )
      return answer.responses[0]?.partitionResponses[0]
    }
    const { s3, dynamodb } = http.storage.clients
    const $metadata = {}
    // Failing or throttled, at the object write or at the commit: the client retries.
    expect(
      await produceMeeting(
        s3,
        'PutObjectCommand',
        () =>
          new S3ServiceException({
            name: 'InternalError',
            $fault: 'server',
            $metadata,
            message: 'We encountered an internal error.',
          }),
      ),
    ).toMatchObject({
      errorCode: ErrorCode.REQUEST_TIMED_OUT,
      errorMessage: 'Storage is unavailable (InternalError); retry the request.',
    })
    expect(
      await produceMeeting(
        dynamodb,
        'TransactWriteItemsCommand',
        () => new ProvisionedThroughputExceededException({ message: 'slow down', $metadata }),
      ),
    ).toMatchObject({ errorCode: ErrorCode.REQUEST_TIMED_OUT })
    // Refused for good: an unknown server error.
    expect(
      await produceMeeting(
        s3,
        'PutObjectCommand',
        () => new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata }),
      ),
    ).toMatchObject({
      errorCode: ErrorCode.UNKNOWN_SERVER_ERROR,
      errorMessage: 'Storage request failed (NoSuchBucket).',
    })
    const stored = await client.send<ProduceResponse>(
      API_KEYS.Produce,
      PRODUCE_V,
      produceBody('failing-storage', batch),
    )
    expect(stored.responses[0]?.partitionResponses[0]).toMatchObject({
      errorCode: ErrorCode.NONE,
      baseOffset: 0,
    })
    client.close()
  })

  it('answers a fetch beyond the log end with OFFSET_OUT_OF_RANGE and the log bounds', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'bounds')
    const client = await WireClient.connect(gateway.bootstrap)
    const fetched = await client.send<FetchResponse>(
      API_KEYS.Fetch,
      FETCH_V,
      fetchBody('bounds', 5),
    )
    expect(fetched.responses[0]?.partitions[0]).toMatchObject({
      errorCode: ErrorCode.OFFSET_OUT_OF_RANGE,
      highWatermark: 0,
      logStartOffset: 0,
    })
    client.close()
  })

  it('holds a fetch at the log end until a record arrives (long poll)', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'long-poll')
    const client = await WireClient.connect(gateway.bootstrap)
    const started = Date.now()
    const pending = client.send<FetchResponse>(
      API_KEYS.Fetch,
      FETCH_V,
      fetchBody('long-poll', 0, 20_000),
    )
    await new Promise((resolve) => setTimeout(resolve, 500))
    await http.send('POST', '/v3/clusters/local/topics/long-poll/records', {
      value: { type: 'STRING', data: 'wake up' },
    })
    const fetched = await pending
    const records = decodeRecordBatches(
      fetched.responses[0]?.partitions[0]?.records ?? new Uint8Array(),
    )
    expect(records.map((r) => Buffer.from(r.value ?? []).toString())).toEqual(['wake up'])
    expect(Date.now() - started).toBeLessThan(20_000)
    client.close()
  })

  it('returns an empty fetch once max.wait passes with nothing new', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'quiet')
    const client = await WireClient.connect(gateway.bootstrap)
    const started = Date.now()
    const fetched = await client.send<FetchResponse>(
      API_KEYS.Fetch,
      FETCH_V,
      fetchBody('quiet', 0, 300),
    )
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(fetched.responses[0]?.partitions[0]).toMatchObject({ errorCode: 0, highWatermark: 0 })
    expect(fetched.responses[0]?.partitions[0]?.records?.length).toBe(0)
    client.close()
  })

  it('lists earliest, latest and by-timestamp offsets', async () => {
    const { http, gateway } = harness()
    await createTopic(http, 'offsets')
    for (const [i, time] of ['2024-01-01T00:00:00Z', '2024-06-01T00:00:00Z'].entries()) {
      await http.send('POST', '/v3/clusters/local/topics/offsets/records', {
        value: { type: 'STRING', data: `r${i}` },
        timestamp: time,
      })
    }
    const client = await WireClient.connect(gateway.bootstrap)
    const ask = (timestamp: number) =>
      client.send<ListOffsetsResponse>(API_KEYS.ListOffsets, 5, {
        replicaId: -1,
        isolationLevel: 0,
        timeoutMs: 0,
        topics: [
          {
            name: 'offsets',
            partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp }],
          },
        ],
      })
    const offsetOf = async (timestamp: number) =>
      (await ask(timestamp)).topics[0]?.partitions[0]?.offset
    expect(await offsetOf(-2)).toBe(0)
    expect(await offsetOf(-1)).toBe(2)
    expect(await offsetOf(Date.parse('2024-03-01T00:00:00Z'))).toBe(1)
    expect(await offsetOf(Date.parse('2025-01-01T00:00:00Z'))).toBe(-1)
    client.close()
  })

  it('closes the connection on an oversize frame or an unknown API, and keeps serving others', async () => {
    const { gateway } = harness()
    const oversize = await WireClient.connect(gateway.bootstrap)
    const size = Buffer.alloc(4)
    size.writeInt32BE(64 * 1024 * 1024)
    oversize.write(size)
    await oversize.closed

    const unknown = await WireClient.connect(gateway.bootstrap)
    unknown.write(Buffer.from([0, 0, 0, 10, 0x03, 0xe7, 0, 0, 0, 0, 0, 1, 0xff, 0xff]))
    await unknown.closed

    const healthy = await WireClient.connect(gateway.bootstrap)
    const metadata = await healthy.send<MetadataResponse>(API_KEYS.Metadata, 1, {
      topics: null,
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    })
    expect(metadata.brokers).toEqual([
      { nodeId: 1, host: '127.0.0.1', port: gateway.port, rack: null },
    ])
    healthy.close()
  })
})

describe('idempotent produce on the wire', () => {
  const harness = useKafkaHarness()

  const initProducerId = (client: WireClient, body: Partial<InitProducerIdRequest> = {}) =>
    client.send<InitProducerIdResponse>(API_KEYS.InitProducerId, INIT_PRODUCER_ID_V, {
      ...defaultInitProducerIdRequest(),
      transactionalId: null,
      ...body,
    })

  /** A batch of `count` records from `producer`, its first record at `baseSequence`. */
  const sequenced = (
    producer: { producerId: number; epoch: number },
    baseSequence: number,
    count = 2,
    valueBytes = 8,
  ) =>
    encodeRecordBatch(
      Array.from({ length: count }, (_, i) => ({
        key: Buffer.from(`k${baseSequence + i}`),
        value: Buffer.alloc(valueBytes, baseSequence + i),
        headers: [],
        timestamp: Date.now(),
      })),
      {
        timestampType: 'CreateTime',
        producer: {
          producerId: producer.producerId,
          producerEpoch: producer.epoch,
          baseSequence,
        },
      },
    )

  const produceTo = async (client: WireClient, topic: string, records: Buffer, partition = 0) => {
    const response = await client.send<ProduceResponse>(
      API_KEYS.Produce,
      PRODUCE_WITH_MESSAGES_V,
      produceBody(topic, records, -1, partition),
    )
    const answer = response.responses[0]?.partitionResponses[0]
    if (answer === undefined) throw new Error('the produce response names no partition')
    return answer
  }

  const logEnd = async (topic: string, partition = 0) => {
    const { http } = harness()
    const { topicId } = await http.broker.topics.describe(topic)
    return (await http.broker.heads.readOne(topicId, partition)).logEndOffset
  }

  /** A topic, a connection, and an idempotent producer session on it. */
  const session = async (topic: string, partitions = 1, configs = {}) => {
    await createTopic(harness().http, topic, partitions, configs)
    const client = await WireClient.connect(harness().gateway.bootstrap)
    const { producerId, producerEpoch } = await initProducerId(client)
    return { client, identity: { producerId, epoch: producerEpoch } }
  }

  it('gives every InitProducerId without a transactional id a fresh producer id at epoch 0', async () => {
    const client = await WireClient.connect(harness().gateway.bootstrap)
    const first = await initProducerId(client)
    expect(first).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 0 })
    expect(first.producerId).toBeGreaterThanOrEqual(0)
    // A re-init with the current id and epoch, as clients send after a failed batch.
    const again = await initProducerId(client, {
      producerId: first.producerId,
      producerEpoch: first.producerEpoch,
    })
    expect(again).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 0 })
    expect(again.producerId).not.toBe(first.producerId)
    expect(await initProducerId(client, { producerId: first.producerId })).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      producerId: -1,
    })
    client.close()
  })

  it('refuses transactions: a transactional id gets no producer id', async () => {
    const client = await WireClient.connect(harness().gateway.bootstrap)
    expect(await initProducerId(client, { transactionalId: 'orders' })).toMatchObject({
      errorCode: ErrorCode.UNSUPPORTED_VERSION,
      producerId: -1,
    })
    expect((await initProducerId(client, { transactionalId: '' })).errorCode).toBe(
      ErrorCode.INVALID_REQUEST,
    )
    client.close()
  })

  it('answers a resent batch with its original offset and stores it once, keeping its producer header', async () => {
    const { client, identity } = await session('idempotent')
    const first = sequenced(identity, 0)
    expect(await produceTo(client, 'idempotent', first)).toMatchObject({
      errorCode: ErrorCode.NONE,
      baseOffset: 0,
    })
    expect(await produceTo(client, 'idempotent', sequenced(identity, 2))).toMatchObject({
      errorCode: ErrorCode.NONE,
      baseOffset: 2,
    })
    // The first batch again, as a client resends it when its answer was lost.
    expect(await produceTo(client, 'idempotent', first)).toMatchObject({
      errorCode: ErrorCode.NONE,
      baseOffset: 0,
    })
    expect(await logEnd('idempotent')).toBe(4)

    const records = await fetchRecords(client, 'idempotent', 0)
    expect(readBatchHeader(records)).toMatchObject({
      producerId: identity.producerId,
      producerEpoch: identity.epoch,
      baseSequence: 0,
    })
    expect(records.subarray(8, batchByteLength(readBatchHeader(records)))).toEqual(
      first.subarray(8),
    )
    expect(decodeRecordBatches(records).map((r) => r.offset)).toEqual([0, 1, 2, 3])
    client.close()
  })

  it('answers a resent batch with the append time its first send was stamped with', async () => {
    const { client, identity } = await session('idempotent-append-time', 1, {
      'message.timestamp.type': 'LogAppendTime',
    })
    const batch = sequenced(identity, 0)
    const first = await produceTo(client, 'idempotent-append-time', batch)
    await new Promise((resolve) => setTimeout(resolve, 20))
    const resent = await produceTo(client, 'idempotent-append-time', batch)
    expect(first.logAppendTimeMs).toBeGreaterThan(0)
    expect(resent).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 })
    expect(resent.logAppendTimeMs).toBe(first.logAppendTimeMs)
    const records = await fetchRecords(client, 'idempotent-append-time', 0)
    expect(readBatchHeader(records).maxTimestamp).toBe(first.logAppendTimeMs)
    client.close()
  })

  it('refuses a sequence gap with OUT_OF_ORDER_SEQUENCE_NUMBER, storing nothing', async () => {
    const { client, identity } = await session('gap')
    expect((await produceTo(client, 'gap', sequenced(identity, 0))).errorCode).toBe(ErrorCode.NONE)
    const gap = await produceTo(client, 'gap', sequenced(identity, 5))
    expect(gap).toMatchObject({ errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1 })
    expect(gap.errorMessage).toMatch(/expected sequence 2, got 5/)
    // Two batches of one request whose sequences do not meet are refused alike.
    const split = Buffer.concat([sequenced(identity, 2), sequenced(identity, 7)])
    expect((await produceTo(client, 'gap', split)).errorCode).toBe(
      ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    )
    expect(await logEnd('gap')).toBe(2)
    expect(await produceTo(client, 'gap', sequenced(identity, 2))).toMatchObject({
      errorCode: ErrorCode.NONE,
      baseOffset: 2,
    })
    client.close()
  })

  it('fences a stale epoch with INVALID_PRODUCER_EPOCH and an unknown id with UNKNOWN_PRODUCER_ID', async () => {
    const { http } = harness()
    await createTopic(http, 'fenced')
    const client = await WireClient.connect(harness().gateway.bootstrap)
    // A producer id whose epoch moved on: a transactional id's second session.
    const stale = await http.broker.producers.initProducer('fenced-session')
    const current = await http.broker.producers.initProducer('fenced-session')
    expect(current).toEqual({ producerId: stale.producerId, epoch: stale.epoch + 1 })
    expect(await produceTo(client, 'fenced', sequenced(stale, 0))).toMatchObject({
      errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
      baseOffset: -1,
    })
    const unknown = { producerId: 2 ** 40, epoch: 0 }
    expect((await produceTo(client, 'fenced', sequenced(unknown, 0))).errorCode).toBe(
      ErrorCode.UNKNOWN_PRODUCER_ID,
    )
    expect(await logEnd('fenced')).toBe(0)
    expect((await produceTo(client, 'fenced', sequenced(current, 0))).errorCode).toBe(
      ErrorCode.NONE,
    )
    client.close()
  })

  it('keeps the sequence of a batch the topic refuses: the next send of it still fits', async () => {
    const { client, identity } = await session('strict-idempotent', 2, {
      'max.message.bytes': '200',
    })
    expect(
      (await produceTo(client, 'strict-idempotent', sequenced(identity, 0, 1, 500))).errorCode,
    ).toBe(ErrorCode.MESSAGE_TOO_LARGE)
    expect(await logEnd('strict-idempotent')).toBe(0)
    // Each partition counts its own sequences from 0.
    for (const partition of [0, 1]) {
      expect(
        await produceTo(client, 'strict-idempotent', sequenced(identity, 0), partition),
      ).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 })
    }
    client.close()
  })

  it('stores the partitions of one request from two producer sessions and from none, each once', async () => {
    const { client, identity } = await session('mixed-sessions', 3)
    const other = await initProducerId(client)
    const second = { producerId: other.producerId, epoch: other.producerEpoch }
    const plain = encodeRecordBatch(
      [{ key: null, value: Buffer.from('plain'), headers: [], timestamp: Date.now() }],
      { timestampType: 'CreateTime' },
    )
    const request = (partitions: Buffer[]): ProduceRequest => ({
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [
        {
          name: 'mixed-sessions',
          topicId: '00000000-0000-0000-0000-000000000000',
          partitionData: partitions.map((records, index) => ({ index, records })),
        },
      ],
    })
    const sent = request([sequenced(identity, 0), sequenced(second, 0, 3), plain])
    const baseOffsets = async (body: ProduceRequest) =>
      (
        await client.send<ProduceResponse>(API_KEYS.Produce, PRODUCE_WITH_MESSAGES_V, body)
      ).responses[0]?.partitionResponses.map((p) => [p.errorCode, p.baseOffset])
    expect(await baseOffsets(sent)).toEqual([
      [ErrorCode.NONE, 0],
      [ErrorCode.NONE, 0],
      [ErrorCode.NONE, 0],
    ])
    // Sent again: both sessions' batches are answered from memory; the plain one is stored again.
    expect(await baseOffsets(sent)).toEqual([
      [ErrorCode.NONE, 0],
      [ErrorCode.NONE, 0],
      [ErrorCode.NONE, 1],
    ])
    expect([await logEnd('mixed-sessions', 0), await logEnd('mixed-sessions', 1)]).toEqual([2, 3])
    client.close()
  })
})
