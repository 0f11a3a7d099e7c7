import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createApp } from '../../lib/http/app.ts'
import type { CellContext } from './context.ts'

export interface LoopbackServer {
  /** The base URL, without a path. */
  readonly url: string
  close(): Promise<void>
}

/** The HTTP API on a loopback port, over the run's broker, for cells that measure real HTTP. */
export async function serveOnLoopback(
  context: CellContext,
  clusterId: string,
): Promise<LoopbackServer> {
  const app = createApp({ ...context.services, clusterId, maxRequestBytes: 6 * 1024 * 1024 })
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}
