import { serve } from '@hono/node-server'
import { createApp } from '../http/app.ts'
import { createServices } from '../runtime/services.ts'
import { createAwsClients, type EngineEndpoints } from '../storage/aws/clients.ts'
import { awsStorage } from '../storage/aws/storage-engine.ts'
import type { StorageNames } from '../storage/tables.ts'
import { type FaultKind, FaultLayer, type FaultRates } from './fault-layer.ts'

/** What the server under test is started with, as JSON on its command line. */
export interface CheckServerConfig {
  /** The local engines; null for the SDK's own configuration (AWS_ENDPOINT_URL). */
  readonly endpoints: EngineEndpoints | null
  readonly names: StorageNames
  readonly clusterId: string
  readonly rates: FaultRates
  readonly seed: number
  /** 0 picks a free port; a restart reuses the first one, so clients keep their URL. */
  readonly port: number
}

/** What the server under test tells the check over IPC. */
export type CheckServerMessage =
  | { readonly kind: 'listening'; readonly port: number }
  | { readonly kind: 'fault'; readonly fault: FaultKind }

/**
 * The Sluice API as a check's producers and consumers reach it, in a process
 * of its own so the check can SIGKILL it: faults on its own AWS clients, each
 * reported to the check as it is injected, since a killed process reports
 * nothing at the end.
 */
export function serveUnderFaults(
  config: CheckServerConfig,
  tell: (message: CheckServerMessage) => void,
): void {
  const clients = createAwsClients(config.endpoints ?? undefined)
  new FaultLayer(config.rates, config.seed, (fault) => tell({ kind: 'fault', fault })).attach(
    clients,
  )
  // GC's grace in the check stays above this commit budget, as the design requires.
  const services = createServices(awsStorage(clients, config.names), {
    appender: { commitTimeoutMs: 5_000 },
  })
  const app = createApp({
    ...services,
    clusterId: config.clusterId,
    maxRequestBytes: 6 * 1024 * 1024,
  })
  serve({ fetch: app.fetch, port: config.port, hostname: '127.0.0.1' }, ({ port }) =>
    tell({ kind: 'listening', port }),
  )
}
