import { ApiKeys } from '../auth/api-keys.ts'
import type { Broker } from '../broker/broker.ts'
import type { SluiceConfig } from '../config.ts'
import type { GroupServices } from '../groups/group-services.ts'
import type { AwsClients } from '../storage/aws/clients.ts'
import { awsStorage } from '../storage/aws/storage-engine.ts'
import { apiKeyCheck } from './gateway/sasl.ts'
import { type KafkaGateway, startKafkaGateway } from './gateway/server.ts'

export interface ConfiguredGatewayOptions {
  readonly config: SluiceConfig
  readonly clients: AwsClients
  /** What it serves: the log and the groups (lib/runtime builds them). */
  readonly services: { readonly broker: Broker; readonly groups: GroupServices }
  /** The address to bind. */
  readonly host: string
  /** Where to listen when not `config.kafka.port` (0 picks a free port). */
  readonly port?: number
  readonly onConnectionClosed: (reason: string, error?: unknown) => void
}

/**
 * The gateway as `config.kafka` describes it: the dev server and the
 * container entry point start it the same way, SASL/PLAIN against the same
 * api-keys table the HTTP API reads.
 */
export function startConfiguredGateway(options: ConfiguredGatewayOptions): Promise<KafkaGateway> {
  const { config } = options
  const { kafka } = config
  return startKafkaGateway({
    broker: options.services.broker,
    groups: options.services.groups,
    clusterId: config.clusterId,
    host: options.host,
    port: options.port ?? kafka.port,
    nodeId: kafka.nodeId,
    maxFrameBytes: kafka.maxFrameBytes,
    onConnectionClosed: options.onConnectionClosed,
    ...(kafka.auth === 'sasl-plain' && {
      checkApiKey: apiKeyCheck(new ApiKeys(awsStorage(options.clients, config.names).apiKeys)),
    }),
    ...(kafka.advertisedHost && { advertisedHost: kafka.advertisedHost }),
    ...(kafka.advertisedPort && { advertisedPort: kafka.advertisedPort }),
  })
}
