/** Shared by the client and CLI tests: Sluice served over a real socket, and a fetch that counts. */
import { randomBytes } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { inject } from 'vitest'
import type { Broker } from '../../../lib/broker/broker.ts'
import { configFromEnv } from '../../../lib/config.ts'
import { createApp } from '../../../lib/http/app.ts'
import { type DevServer, startDevServer } from '../../../lib/local/dev-server.ts'
import type { GroupTimers } from '../../../lib/runtime/services.ts'
import { createServices } from '../../../lib/runtime/services.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { storageNamesForPrefix } from '../../../lib/storage/tables.ts'
import { type LoopbackServer, listenOnLoopback } from '../../support/loopback.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'

export interface ServedApp extends LoopbackServer {
  readonly storage: TestStorage
  readonly broker: Broker
}

/** The app on a loopback port over fresh test storage, whose clients a test can inject faults into. */
export async function serveApp(
  options: { readonly groups?: GroupTimers; readonly authenticate?: MiddlewareHandler } = {},
): Promise<ServedApp> {
  const storage = await createTestStorage()
  const services = createServices(awsStorage(storage.clients, storage.names), { ...options.groups })
  const app = createApp({
    ...services,
    clusterId: 'local',
    maxRequestBytes: 6 * 1024 * 1024,
    ...(options.authenticate && { authenticate: options.authenticate }),
  })
  return { ...(await listenOnLoopback(app)), storage, broker: services.broker }
}

/**
 * The dev server, as `sluice dev` starts it, on a free port: over the engines
 * of this test run (or AWS_ENDPOINT_URL's), with tables of its own.
 */
export function startTestDevServer(groups?: GroupTimers): Promise<DevServer> {
  const engines = inject('engines')
  return startDevServer({
    config: {
      ...configFromEnv({}),
      names: storageNamesForPrefix(`t-${randomBytes(4).toString('hex')}`),
      maintenanceIntervalMs: 0,
    },
    port: 0,
    host: '127.0.0.1',
    engines: engines ? { kind: 'running', endpoints: engines } : { kind: 'configured' },
    ...(groups && { groups }),
  })
}

/** Group timers for tests: sessions far below Kafka's 6 s minimum, which only server options may set. */
export function shortSessions(sessionMs: number): GroupTimers {
  return {
    groups: {
      sessionTimeoutMs: { default: sessionMs, min: 100, max: 60_000 },
      heartbeatIntervalMs: Math.min(3000, sessionMs / 4),
    },
    consumerInstances: { pollIntervalMs: { min: 20, max: 100 } },
  }
}

export interface CountingFetch {
  readonly fetch: typeof fetch
  /** Requests sent, by `METHOD path` (query left out). */
  readonly requests: string[]
  count(method: string, pathEnd?: string): number
}

/** The real fetch, with every request it sends written down. */
export function countingFetch(): CountingFetch {
  const requests: string[] = []
  return {
    requests,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input))
      requests.push(`${init?.method ?? 'GET'} ${url.pathname}`)
      return fetch(input, init)
    },
    count: (method, pathEnd = '') =>
      requests.filter((r) => r.startsWith(`${method} `) && r.endsWith(pathEnd)).length,
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}
