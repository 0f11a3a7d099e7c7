import type { AddressInfo } from 'node:net'
import { createServer, type Server, type Socket } from 'node:net'
import type { Broker } from '../../broker/broker.ts'
import { KnownLogEnds } from '../../broker/known-log-ends.ts'
import type { GroupServices } from '../../groups/group-services.ts'
import { type ServedConnection, serveConnection } from './connection.ts'
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
  /**
   * Stops accepting connections and drains every open one (see
   * ServedConnection.drain); resolves when all of them have closed. A client
   * that never closes its end keeps it waiting: bound it and then `close()`.
   */
  drain(): Promise<void>
  /** Closes every connection at once, answered or not, and stops listening. */
  close(): Promise<void>
}

/** Kafka's wire protocol over the broker: a front end like the HTTP API, holding no state of its own. */
export async function startKafkaGateway(options: KafkaGatewayOptions): Promise<KafkaGateway> {
  const connections = new Map<Socket, ServedConnection>()
  let context: GatewayContext | undefined
  const server: Server = createServer((socket) => {
    if (context === undefined) return socket.destroy()
    socket.once('close', () => connections.delete(socket))
    socket.setNoDelay(true)
    const connection = serveConnection(socket, context, {
      maxFrameBytes: options.maxFrameBytes,
      onClose: options.onConnectionClosed ?? (() => {}),
      ...(options.checkApiKey && { checkApiKey: options.checkApiKey }),
    })
    connections.set(socket, connection)
  })
  await new Promise<void>((ready, fail) => {
    server.once('error', fail)
    server.listen(options.port, options.host, () => {
      server.off('error', fail)
      ready()
    })
  })
  const { port } = server.address() as AddressInfo
  const clock = options.clock ?? Date.now
  context = {
    broker: options.broker,
    groups: options.groups,
    clusterId: options.clusterId,
    clock,
    logEnds: new KnownLogEnds(clock),
    node: {
      nodeId: options.nodeId,
      host: options.advertisedHost ?? options.host,
      port: options.advertisedPort ?? port,
    },
  }
  // Resolves once the server has stopped listening and its last connection has closed.
  let stopped: Promise<void> | undefined
  const stop = () => {
    stopped ??= new Promise<void>((done) => server.close(() => done()))
    return stopped
  }
  return {
    bootstrap: `${options.host}:${port}`,
    port,
    async drain() {
      const closed = stop()
      await Promise.all([...connections.values()].map((connection) => connection.drain()))
      await closed
    },
    async close() {
      const closed = stop()
      for (const socket of connections.keys()) socket.destroy()
      await closed
    },
  }
}
