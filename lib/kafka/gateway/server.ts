import type { AddressInfo } from 'node:net'
import { createServer, type Server, type Socket } from 'node:net'
import type { Broker } from '../../broker/broker.ts'
import type { GroupServices } from '../../groups/group-services.ts'
import { serveConnection } from './connection.ts'
import type { GatewayContext } from './context.ts'
import type { ApiKeyCheck } from './sasl.ts'

export interface KafkaGatewayOptions {
  readonly broker: Broker
  readonly groups: GroupServices
  readonly clusterId: string
  /** The address to bind; port 0 picks a free one. */
  readonly host: string
  readonly port: number
  /** What Metadata tells clients to connect to (a load balancer's name); defaults to the bound address. */
  readonly advertisedHost?: string
  readonly advertisedPort?: number
  readonly nodeId: number
  readonly maxFrameBytes: number
  readonly clock?: () => number
  readonly onConnectionClosed?: (reason: string, error?: unknown) => void
  /** Require SASL/PLAIN with a live API key; without it, anyone who can connect is served. */
  readonly checkApiKey?: ApiKeyCheck
}

export interface KafkaGateway {
  /** host:port, as a Kafka client's bootstrap servers want it. */
  readonly bootstrap: string
  readonly port: number
  close(): Promise<void>
}

/** Kafka's wire protocol over the broker: a front end like the HTTP API, holding no state of its own. */
export async function startKafkaGateway(options: KafkaGatewayOptions): Promise<KafkaGateway> {
  const sockets = new Set<Socket>()
  let context: GatewayContext | undefined
  const server: Server = createServer((socket) => {
    if (context === undefined) return socket.destroy()
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.setNoDelay(true)
    serveConnection(socket, context, {
      maxFrameBytes: options.maxFrameBytes,
      onClose: options.onConnectionClosed ?? (() => {}),
      ...(options.checkApiKey && { checkApiKey: options.checkApiKey }),
    })
  })
  await new Promise<void>((ready, fail) => {
    server.once('error', fail)
    server.listen(options.port, options.host, () => {
      server.off('error', fail)
      ready()
    })
  })
  const { port } = server.address() as AddressInfo
  context = {
    broker: options.broker,
    groups: options.groups,
    clusterId: options.clusterId,
    clock: options.clock ?? Date.now,
    node: {
      nodeId: options.nodeId,
      host: options.advertisedHost ?? options.host,
      port: options.advertisedPort ?? port,
    },
  }
  return {
    bootstrap: `${options.host}:${port}`,
    port,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((done) => server.close(() => done()))
    },
  }
}
