import { resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { createBroker } from '../broker/broker.ts'
import type { SluiceConfig } from '../config.ts'
import { createApp } from '../http/app.ts'
import { runEvery } from '../maintenance/schedule.ts'
import { createSchemaRegistry } from '../registry/registry.ts'
import { createAwsClients } from '../storage/aws-clients.ts'
import { bootstrapStorage } from './bootstrap.ts'
import { type LocalEngines, startLocalEngines } from './engines.ts'

export interface DevServerOptions {
  readonly config: SluiceConfig
  readonly port: number
  readonly host: string
  /** Where the local engines keep their data between runs. */
  readonly dataDir: string
  /** Use the engines the AWS SDK is configured for (AWS_ENDPOINT_URL) instead of starting local ones. */
  readonly externalEngines: boolean
}

export interface DevServer {
  readonly url: string
  close(): Promise<void>
}

/** Sluice on one machine: local engines, the tables and bucket, and the API on a port. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const engines: LocalEngines | undefined = options.externalEngines
    ? undefined
    : await startLocalEngines({ dataDir: resolve(options.dataDir) })
  try {
    const clients = createAwsClients(engines)
    await bootstrapStorage(clients, options.config.names)
    const broker = createBroker(clients, options.config.names, {
      maintenance: options.config.maintenance,
    })
    const app = createApp({
      broker,
      clusterId: options.config.clusterId,
      maxRequestBytes: options.config.maxRequestBytes,
      maintenanceRunTasks: options.config.maintenanceRunTasks,
      registry: createSchemaRegistry(clients, options.config.names),
    })
    const server = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
      const started = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () =>
        ready(started),
      )
      started.once('error', fail)
    })
    const { maintenanceIntervalMs } = options.config
    const maintenance =
      maintenanceIntervalMs > 0 ? runEvery(broker.maintenance, maintenanceIntervalMs) : undefined
    return {
      url: `http://${options.host}:${options.port}`,
      async close() {
        await maintenance?.stop()
        await new Promise<void>((done) => server.close(() => done()))
        await engines?.stop()
      },
    }
  } catch (error) {
    await engines?.stop()
    throw error
  }
}
