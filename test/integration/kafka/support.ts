import { afterAll, beforeAll } from 'vitest'
import { type KafkaGateway, startKafkaGateway } from '../../../lib/kafka/gateway/server.ts'
import { createHarness, type Harness } from '../http/support.ts'

export interface KafkaHarness {
  readonly http: Harness
  readonly gateway: KafkaGateway
}

/**
 * A broker on fresh tables, served both by the HTTP app (in process) and by a
 * Kafka gateway on a free port: what one client writes, the other reads.
 */
export function useKafkaHarness(): () => KafkaHarness {
  let harness: KafkaHarness | undefined
  beforeAll(async () => {
    const http = await createHarness()
    const gateway = await startKafkaGateway({
      broker: http.broker,
      clusterId: 'local',
      host: '127.0.0.1',
      port: 0,
      nodeId: 1,
      maxFrameBytes: 8 * 1024 * 1024,
    })
    harness = { http, gateway }
  })
  afterAll(async () => {
    await harness?.gateway.close()
  })
  return () => {
    if (harness === undefined) throw new Error('the harness starts in beforeAll')
    return harness
  }
}

export async function createTopic(http: Harness, name: string, partitions = 1, configs = {}) {
  const response = await http.send('POST', '/v3/clusters/local/topics', {
    topic_name: name,
    partitions_count: partitions,
    configs: Object.entries(configs).map(([config, value]) => ({ name: config, value })),
  })
  if (response.status !== 201) throw new Error(`topic ${name}: ${response.text}`)
}
