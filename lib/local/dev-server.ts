import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { ApiKeys } from '../auth/api-keys.ts'
import type { SluiceConfig } from '../config.ts'
import { createApp } from '../http/app.ts'
import { apiKeyAuthentication } from '../http/authenticate.ts'
import { startConfiguredGateway } from '../kafka/configured-gateway.ts'
import type { KafkaGateway } from '../kafka/gateway/server.ts'
import { runEvery } from '../maintenance/schedule.ts'
import type { GroupTimers } from '../runtime/services.ts'
import { createServices } from '../runtime/services.ts'
import { createAwsClients, type EngineEndpoints } from '../storage/aws/clients.ts'
import { awsStorage } from '../storage/aws/storage-engine.ts'
import { bootstrapStorage } from './bootstrap.ts'
import { type LocalEngines, startLocalEngines } from './engines.ts'

/** Which engines the server stores in. */
export type DevServerEngines =
  /**
   * Start DynamoDB Local and s3rver, keeping their data in `dataDir` between
   * runs; DynamoDB Local is unpacked in `engineCacheDir` (the project's
   * `.sluice/engines` without it).
   */
  | { readonly kind: 'local'; readonly dataDir: string; readonly engineCacheDir?: string }
  /** The engines the AWS SDK is configured for (AWS_ENDPOINT_URL: LocalStack, AWS). */
  | { readonly kind: 'configured' }
  /** Local engines already running, such as the ones a test run shares. */
  | { readonly kind: 'running'; readonly endpoints: EngineEndpoints }

export interface DevServerOptions {
  readonly config: SluiceConfig
  /** 0 picks a free port; `url` tells which. */
  readonly port: number
  readonly host: string
  readonly engines: DevServerEngines
  /** Consumer group timers, e.g. sessions shorter than Kafka allows, for tests. */
  readonly groups?: GroupTimers
  /** `api-key`: requests need a key from the api-keys table, as a stack deployed in that mode wants. */
  readonly auth?: 'none' | 'api-key'
  /** Also serve Kafka's wire protocol on this port (0 picks a free one); the rest comes from `config.kafka`. */
  readonly kafkaPort?: number
}

export interface DevServer {
  readonly url: string
  /** host:port of the Kafka gateway, when it runs. */
  readonly kafkaBootstrap: string | undefined
  close(): Promise<void>
}

/** Sluice on one machine: local engines, the tables and bucket, and the API on a port. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const engines: LocalEngines | undefined =
    options.engines.kind === 'local'
      ? await startLocalEngines({
          dataDir: resolve(options.engines.dataDir),
          ...(options.engines.engineCacheDir !== undefined && {
            engineCacheDir: resolve(options.engines.engineCacheDir),
          }),
        })
      : undefined
  try {
    const clients = createAwsClients(
      options.engines.kind === 'running' ? options.engines.endpoints : engines,
    )
    await bootstrapStorage(clients, options.config.names)
    const services = createServices(awsStorage(clients, options.config.names), {
      maintenance: options.config.maintenance,
      ...options.groups,
    })
    const app = createApp({
      ...services,
      clusterId: options.config.clusterId,
      maxRequestBytes: options.config.maxRequestBytes,
      maintenanceRunTasks: options.config.maintenanceRunTasks,
      ...(options.auth === 'api-key' && {
        authenticate: apiKeyAuthentication(
          new ApiKeys(awsStorage(clients, options.config.names).apiKeys),
        ),
      }),
    })
    const server = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
      const started = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () =>
        ready(started),
      )
      started.once('error', fail)
    })
    const gateway: KafkaGateway | undefined =
      options.kafkaPort === undefined
        ? undefined
        : await startConfiguredGateway({
            config: options.config,
            clients,
            services,
            host: options.host,
            port: options.kafkaPort,
            onConnectionClosed: (reason, error) =>
              console.warn(`kafka: closed a connection: ${reason}`, error ?? ''),
          }).catch(async (error: unknown) => {
            await new Promise<void>((done) => server.close(() => done()))
            throw error
          })
    const { maintenanceIntervalMs } = options.config
    const maintenance =
      maintenanceIntervalMs > 0 ? runEvery(services.maintenance, maintenanceIntervalMs) : undefined
    const { port } = server.address() as AddressInfo
    return {
      url: `http://${options.host}:${port}`,
      kafkaBootstrap: gateway?.bootstrap,
      async close() {
        await maintenance?.stop()
        await gateway?.close()
        await new Promise<void>((done) => server.close(() => done()))
        await engines?.stop()
      },
    }
  } catch (error) {
    await engines?.stop()
    throw error
  }
}
