import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { Kafka, logLevel } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { API_KEYS } from '../../../lib/kafka/protocol/apis.ts'
import type { ApiVersionsResponse } from '../../../lib/kafka/protocol/messages/api-versions-response.ts'
import { kafkaClientCommand } from '../../support/kafka-clients.ts'
import { WireClient } from '../../support/wire-client.ts'
import { createTopic, useKafkaHarness } from './support.ts'

const run = promisify(execFile)

describe('SASL/PLAIN with API keys', () => {
  const harness = useKafkaHarness({ sasl: true })
  const kafka = (username: string, password: string) =>
    new Kafka({
      brokers: [harness().gateway.bootstrap],
      sasl: { mechanism: 'plain', username, password },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    })

  it('serves kafkajs and kcat once they present a live key', async () => {
    const { http, gateway, issueApiKey } = harness()
    await createTopic(http, 'secured')
    const { keyId, apiKey } = await issueApiKey()
    const producer = kafka(keyId, apiKey).producer()
    await producer.connect()
    await producer.send({ topic: 'secured', messages: [{ value: 'from kafkajs' }] })
    await producer.disconnect()

    const auth = [
      '-X',
      'security.protocol=SASL_PLAINTEXT',
      '-X',
      'sasl.mechanisms=PLAIN',
      '-X',
      `sasl.username=${keyId}`,
      '-X',
      `sasl.password=${apiKey}`,
    ]
    const { stdout } = await run(
      kafkaClientCommand('kcat'),
      [
        '-C',
        '-b',
        gateway.bootstrap,
        '-t',
        'secured',
        '-o',
        'beginning',
        '-e',
        '-f',
        '%s\n',
        ...auth,
      ],
      { timeout: 30_000 },
    )
    expect(stdout).toBe('from kafkajs\n')
  })

  it('refuses a revoked, unknown or mismatched key, and stores nothing', async () => {
    const { http, issueApiKey } = harness()
    await createTopic(http, 'guarded')
    const { keyId, apiKey } = await issueApiKey()
    const other = await issueApiKey()
    for (const [username, password] of [
      [keyId, `${apiKey.slice(0, -1)}x`],
      [other.keyId, apiKey],
      ['0123456789abcdef', 'sluice_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ] as const) {
      const producer = kafka(username, password).producer()
      await expect(producer.connect()).rejects.toMatchObject({
        name: 'KafkaJSSASLAuthenticationError',
      })
    }
    const topic = await http.broker.topics.describe('guarded')
    expect(await http.broker.heads.readOne(topic.topicId, 0)).toEqual({
      logStartOffset: 0,
      logEndOffset: 0,
    })
  })

  it('answers ApiVersions before authentication and closes on anything else', async () => {
    const { gateway } = harness()
    const client = await WireClient.connect(gateway.bootstrap)
    const versions = await client.send<ApiVersionsResponse>(API_KEYS.ApiVersions, 3, {
      clientSoftwareName: 'wire-test',
      clientSoftwareVersion: '1',
    })
    expect(versions.apiKeys.map((api) => api.apiKey)).toContain(API_KEYS.SaslAuthenticate)
    const { bytes } = client.frame(API_KEYS.Metadata, 4, {
      topics: null,
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    })
    client.write(bytes)
    await client.closed
  })
})
