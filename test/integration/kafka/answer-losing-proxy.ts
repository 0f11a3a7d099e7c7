import { connect, createServer, type Server, type Socket } from 'node:net'
import { FrameSplitter } from '../../../lib/kafka/gateway/frame-splitter.ts'
import { API_KEYS } from '../../../lib/kafka/protocol/apis.ts'

const MAX_FRAME_BYTES = 64 * 1024 * 1024

function withSize(frame: Buffer): Buffer {
  const size = Buffer.alloc(4)
  size.writeInt32BE(frame.length)
  return Buffer.concat([size, frame])
}

/**
 * A TCP proxy in front of the gateway that loses the answer to the first
 * Produce request it passes on: when the gateway's response comes back, the
 * proxy closes the client's connection instead, as a network failure after
 * the commit would. The client cannot tell whether the batch was stored, so
 * it sends it again.
 */
export class AnswerLosingProxy {
  /** Whether the answer was lost yet. */
  lost = false
  #produce: { readonly client: Socket; readonly correlationId: number } | undefined
  readonly #server: Server
  readonly #sockets = new Set<Socket>()

  private constructor(
    server: Server,
    readonly port: number,
  ) {
    this.#server = server
  }

  /** Listens on a free port; connections are passed to `upstream()` once it is known. */
  static async start(upstream: () => number): Promise<AnswerLosingProxy> {
    let proxy: AnswerLosingProxy | undefined
    const server = createServer((client) => proxy?.pipe(client, upstream()))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('no TCP address')
    proxy = new AnswerLosingProxy(server, address.port)
    return proxy
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`
  }

  private pipe(client: Socket, port: number): void {
    const gateway = connect(port, '127.0.0.1')
    for (const socket of [client, gateway]) {
      this.#sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => {
        this.#sockets.delete(socket)
        client.destroy()
        gateway.destroy()
      })
    }
    const requests = new FrameSplitter(MAX_FRAME_BYTES)
    client.on('data', (chunk: Buffer) => {
      for (const frame of requests.push(chunk)) {
        // Request header: api key int16, api version int16, correlation id int32.
        if (this.#produce === undefined && frame.readInt16BE(0) === API_KEYS.Produce) {
          this.#produce = { client, correlationId: frame.readInt32BE(4) }
        }
        gateway.write(withSize(frame))
      }
    })
    const responses = new FrameSplitter(MAX_FRAME_BYTES)
    gateway.on('data', (chunk: Buffer) => {
      for (const frame of responses.push(chunk)) {
        const produce = this.#produce
        if (
          !this.lost &&
          produce?.client === client &&
          frame.readInt32BE(0) === produce.correlationId
        ) {
          this.lost = true
          client.destroy()
          return
        }
        client.write(withSize(frame))
      }
    })
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}
