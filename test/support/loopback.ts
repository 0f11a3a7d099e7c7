import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'

export interface LoopbackServer {
  /** The base URL, without a path. */
  readonly url: string
  close(): Promise<void>
}

/** Serves a fetch handler (the Hono app) on a free port of 127.0.0.1, over a real socket. */
export async function listenOnLoopback(app: {
  readonly fetch: (request: Request) => Response | Promise<Response>
}): Promise<LoopbackServer> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
  }
}
