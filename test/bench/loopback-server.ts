import { createApp } from '../../lib/http/app.ts'
import { type LoopbackServer, listenOnLoopback } from '../support/loopback.ts'
import type { CellContext } from './context.ts'

/** The HTTP API on a loopback port, over the run's broker, for cells that measure real HTTP. */
export function serveOnLoopback(context: CellContext, clusterId: string): Promise<LoopbackServer> {
  return listenOnLoopback(
    createApp({ ...context.services, clusterId, maxRequestBytes: 6 * 1024 * 1024 }),
  )
}
