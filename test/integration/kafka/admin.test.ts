import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { API_KEYS } from '../../../lib/kafka/protocol/apis.ts'
import { ErrorCode } from '../../../lib/kafka/protocol/error-codes.ts'
import type { DescribeClusterResponse } from '../../../lib/kafka/protocol/messages/describe-cluster-response.ts'
import type { IncrementalAlterConfigsResponse } from '../../../lib/kafka/protocol/messages/incremental-alter-configs-response.ts'
import { WireClient } from '../../support/wire-client.ts'
import { useKafkaHarness } from './support.ts'

describe('topic administration through the Kafka gateway', () => {
  const harness = useKafkaHarness()
  const admin = () =>
    new Kafka({
      brokers: [harness().gateway.bootstrap],
      clientId: 'admin-test',
      logLevel: logLevel.NOTHING,
    }).admin()

  it('creates, grows, describes and deletes topics as kafkajs asks, visible over REST', async () => {
    const { http } = harness()
    const client = admin()
    await client.connect()
    try {
      expect(
        await client.createTopics({
          topics: [
            {
              topic: 'admin-orders',
              numPartitions: 2,
              configEntries: [{ name: 'retention.ms', value: '3600000' }],
            },
          ],
        }),
      ).toBe(true)
      const rest = await http.get('/v3/clusters/local/topics/admin-orders')
      expect(rest.body.partitions_count).toBe(2)

      await expect(client.createTopics({ topics: [{ topic: 'admin-orders' }] })).resolves.toBe(
        false,
      )
      await expect(
        client.createTopics({
          topics: [
            { topic: 'admin-bad', configEntries: [{ name: 'retention.ms', value: 'soon' }] },
          ],
        }),
      ).rejects.toMatchObject({ errors: [{ type: 'INVALID_CONFIG' }] })

      await client.createPartitions({ topicPartitions: [{ topic: 'admin-orders', count: 5 }] })
      expect((await http.get('/v3/clusters/local/topics/admin-orders')).body.partitions_count).toBe(
        5,
      )
      await expect(
        client.createPartitions({ topicPartitions: [{ topic: 'admin-orders', count: 3 }] }),
      ).rejects.toMatchObject({ type: 'INVALID_PARTITIONS' })

      const described = await client.describeConfigs({
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: 'admin-orders',
            configNames: ['retention.ms', 'cleanup.policy'],
          },
        ],
        includeSynonyms: false,
      })
      const entries = described.resources[0]?.configEntries ?? []
      expect(entries.map((e) => [e.configName, e.configValue, e.isDefault])).toEqual([
        ['cleanup.policy', 'delete', true],
        ['retention.ms', '3600000', false],
      ])

      await client.deleteTopics({ topics: ['admin-orders'] })
      expect((await http.get('/v3/clusters/local/topics/admin-orders')).status).toBe(404)
    } finally {
      await client.disconnect()
    }
  })

  it('changes configs incrementally: SET, DELETE, APPEND to a list; refuses bad values and changes nothing', async () => {
    const { http, gateway } = harness()
    await http.send('POST', '/v3/clusters/local/topics', {
      topic_name: 'admin-configs',
      configs: [{ name: 'retention.ms', value: '1000' }],
    })
    const client = await WireClient.connect(gateway.bootstrap)
    const alter = (configs: { name: string; configOperation: number; value: string | null }[]) =>
      client.send<IncrementalAlterConfigsResponse>(API_KEYS.IncrementalAlterConfigs, 1, {
        validateOnly: false,
        resources: [{ resourceType: 2, resourceName: 'admin-configs', configs }],
      })
    const ok = await alter([
      { name: 'retention.ms', configOperation: 1, value: null },
      { name: 'cleanup.policy', configOperation: 2, value: 'compact' },
      { name: 'max.message.bytes', configOperation: 0, value: '2000000' },
    ])
    expect(ok.responses[0]?.errorCode).toBe(ErrorCode.NONE)
    const bad = await alter([{ name: 'max.message.bytes', configOperation: 0, value: 'big' }])
    expect(bad.responses[0]).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: expect.stringContaining('max.message.bytes'),
    })
    const topic = await http.broker.topics.describe('admin-configs')
    expect(topic.configs).toEqual({
      'cleanup.policy': 'delete,compact',
      'max.message.bytes': '2000000',
    })

    const cluster = await client.send<DescribeClusterResponse>(API_KEYS.DescribeCluster, 0, {
      includeClusterAuthorizedOperations: false,
      endpointType: 1,
      includeFencedBrokers: false,
    })
    expect(cluster).toMatchObject({
      clusterId: 'local',
      controllerId: 1,
      brokers: [{ brokerId: 1, port: gateway.port }],
    })
    client.close()
  })
})
