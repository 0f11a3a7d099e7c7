import { afterAll, beforeAll } from 'vitest'
import { ApiKeys } from '../../../lib/auth/api-keys.ts'
import { apiKeyCheck } from '../../../lib/kafka/gateway/sasl.ts'
import {
  type KafkaGateway,
  type KafkaGatewayOptions,
  startKafkaGateway,
} from '../../../lib/kafka/gateway/server.ts'
import { type RecordBatchHeader, readBatchHeader } from '../../../lib/log/record-batch.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { createHarness, type Harness } from '../http/support.ts'
import { AnswerLosingProxy } from './answer-losing-proxy.ts'

export interface KafkaHarness {
  readonly http: Harness
  readonly gateway: KafkaGateway
  /** Issues an API key in the deployment's api-keys table: its id and the key. */
  issueApiKey(): Promise<{ keyId: string; apiKey: string }>
}

/**
 * A broker on fresh tables, served both by the HTTP app (in process) and by a
 * Kafka gateway on a free port: what one client writes, the other reads.
 */
export function useKafkaHarness({ sasl = false } = {}): () => KafkaHarness {
  let harness: KafkaHarness | undefined
  beforeAll(async () => {
    const http = await createHarness()
    const keys = new ApiKeys(awsStorage(http.storage.clients, http.storage.names).apiKeys)
    const gateway = await startTestGateway(http, sasl ? { checkApiKey: apiKeyCheck(keys) } : {})
    harness = { http, gateway, issueApiKey: () => issueApiKey(keys) }
  })
  afterAll(async () => {
    await harness?.gateway.close()
  })
  return () => {
    if (harness === undefined) throw new Error('the harness starts in beforeAll')
    return harness
  }
}

/** A gateway on a free port in front of the harness's broker. */
export function startTestGateway(
  http: Harness,
  options: Partial<KafkaGatewayOptions> = {},
): Promise<KafkaGateway> {
  return startKafkaGateway({
    broker: http.broker,
    groups: http.groups,
    clusterId: 'local',
    host: '127.0.0.1',
    port: 0,
    nodeId: 1,
    maxFrameBytes: 8 * 1024 * 1024,
    ...options,
  })
}

/**
 * A second gateway on the harness's broker, reached only through a proxy that
 * loses the answer to the first Produce request: its Metadata names the proxy,
 * so every connection of a client goes through it.
 */
export async function gatewayLosingAnAnswer(
  http: Harness,
): Promise<{ proxy: AnswerLosingProxy; close(): Promise<void> }> {
  let gatewayPort = 0
  const proxy = await AnswerLosingProxy.start(() => gatewayPort)
  const gateway = await startTestGateway(http, {
    advertisedHost: '127.0.0.1',
    advertisedPort: proxy.port,
  })
  gatewayPort = gateway.port
  return {
    proxy,
    async close() {
      await gateway.close()
      await proxy.close()
    },
  }
}

/** Issues a key: its id (the SASL/PLAIN username) and the key (the password). */
export async function issueApiKey(keys: ApiKeys): Promise<{ keyId: string; apiKey: string }> {
  const { record, apiKey } = await keys.issue('kafka test', Date.now())
  return { keyId: record.keyId, apiKey }
}

/** A Metadata request body (v4) for every topic. */
export const METADATA_ALL_TOPICS = {
  topics: null,
  allowAutoTopicCreation: false,
  includeClusterAuthorizedOperations: false,
  includeTopicAuthorizedOperations: false,
}

export async function createTopic(http: Harness, name: string, partitions = 1, configs = {}) {
  const response = await http.send('POST', '/v3/clusters/local/topics', {
    topic_name: name,
    partitions_count: partitions,
    configs: Object.entries(configs).map(([config, value]) => ({ name: config, value })),
  })
  if (response.status !== 201) throw new Error(`topic ${name}: ${response.text}`)
}

/** The header of every batch a partition's log holds, in log order. */
async function storedBatchHeaders(http: Harness, topicId: string, partition: number) {
  const { logEndOffset } = await http.broker.heads.readOne(topicId, partition)
  const headers: RecordBatchHeader[] = []
  for (let offset = 0; offset < logEndOffset; ) {
    const entry = await http.broker.segments.floor(topicId, partition, offset)
    if (entry === undefined) throw new Error(`no index entry holds offset ${offset}`)
    const bytes = await http.broker.objects.getRange(
      entry.objectKey,
      entry.byteOffset,
      entry.byteLength,
    )
    headers.push(readBatchHeader(bytes))
    offset = entry.lastOffset + 1
  }
  return headers
}

/** One idempotent producer session, as the stored batches of a topic show it. */
export interface IdempotentSession {
  readonly producerId: number
  readonly epoch: number
  /** Its records on the partitions asked for. */
  readonly records: number
}

/**
 * The producer sessions whose batches the partitions hold, read from the
 * stored batch headers. Throws unless every batch came from an idempotent
 * producer and, on each partition, every session's sequences run on from 0
 * with neither gap nor repeat.
 */
export async function idempotentSessions(
  http: Harness,
  topic: string,
  partitions: readonly number[],
): Promise<IdempotentSession[]> {
  const { topicId } = await http.broker.topics.describe(topic)
  const sessions = new Map<string, IdempotentSession>()
  for (const partition of partitions) {
    const nextSequences = new Map<string, number>()
    for (const header of await storedBatchHeaders(http, topicId, partition)) {
      const { producerId, producerEpoch: epoch, baseSequence, recordsCount } = header
      if (producerId < 0) throw new Error(`partition ${partition} holds a non-idempotent batch`)
      const key = `${producerId}/${epoch}`
      const expected = nextSequences.get(key) ?? 0
      if (baseSequence !== expected) {
        throw new Error(
          `partition ${partition}: producer ${key} batch at sequence ${baseSequence}, expected ${expected}`,
        )
      }
      nextSequences.set(key, expected + recordsCount)
      const records = (sessions.get(key)?.records ?? 0) + recordsCount
      sessions.set(key, { producerId, epoch, records })
    }
  }
  return [...sessions.values()]
}
