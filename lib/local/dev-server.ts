import { resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { createBroker } from '../broker/broker.ts'
import type { SluiceConfig } from '../config.ts'
import { createApp } from '../http/app.ts'
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
    const app = createApp({
      broker: createBroker(clients, options.config.names),
      clusterId: options.config.clusterId,
      maxRequestBytes: options.config.maxRequestBytes,
    })
    const server = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
      const started = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () =>
        ready(started),
      )
      started.once('error', fail)
    })
    return {
      url: `http://${options.host}:${options.port}`,
      async close() {
        await new Promise<void>((done) => server.close(() => done()))
        await engines?.stop()
      },
    }
  } catch (error) {
    await engines?.stop()
    throw error
  }
}
