import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll } from 'vitest'
import { formatApiKey, newApiKey, secretHash } from '../../../lib/http/auth/api-key.ts'
import { ApiKeyTable } from '../../../lib/http/auth/api-key-table.ts'
import { apiKeyCheck } from '../../../lib/kafka/gateway/sasl.ts'
import { type KafkaGateway, startKafkaGateway } from '../../../lib/kafka/gateway/server.ts'
import { createHarness, type Harness } from '../http/support.ts'

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
    const keys = new ApiKeyTable(
      DynamoDBDocumentClient.from(http.storage.clients.dynamodb),
      http.storage.names.tables.apiKeys,
    )
    const gateway = await startKafkaGateway({
      ...(sasl && { checkApiKey: apiKeyCheck(keys) }),
      broker: http.broker,
      clusterId: 'local',
      host: '127.0.0.1',
      port: 0,
      nodeId: 1,
      maxFrameBytes: 8 * 1024 * 1024,
    })
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

/** Issues a key in an api-keys table: its id (the SASL/PLAIN username) and the key (the password). */
export async function issueApiKey(keys: ApiKeyTable): Promise<{ keyId: string; apiKey: string }> {
  const key = newApiKey()
  await keys.create({
    keyId: key.keyId,
    secretHash: secretHash(key.secret),
    name: 'kafka test',
    createdAt: Date.now(),
  })
  return { keyId: key.keyId, apiKey: formatApiKey(key) }
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
