import { type KafkaGateway, startKafkaGateway } from '../../lib/kafka/gateway/server.ts'
import type { Services } from '../../lib/runtime/services.ts'

/** The Kafka gateway on a loopback port of this process, over the run's broker and groups. */
export function startBenchGateway(services: Services, clusterId: string): Promise<KafkaGateway> {
  return startKafkaGateway({
    broker: services.broker,
    groups: services.groups,
    clusterId,
    host: '127.0.0.1',
    port: 0,
    nodeId: 1,
    maxFrameBytes: 100 * 1024 * 1024,
  })
}
