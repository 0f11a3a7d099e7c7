import { connect, type Socket } from 'node:net'
import { FrameSplitter } from '../../lib/kafka/gateway/frame-splitter.ts'
import {
  requestHeaderVersion,
  responseHeaderVersion,
  servedApi,
} from '../../lib/kafka/protocol/apis.ts'
import { writeRequestHeader } from '../../lib/kafka/protocol/messages/request-header.ts'
import { readResponseHeader } from '../../lib/kafka/protocol/messages/response-header.ts'
import { ProtocolReader } from '../../lib/kafka/protocol/reader.ts'
import { ProtocolWriter } from '../../lib/kafka/protocol/writer.ts'

/**
 * A bare Kafka connection for tests that need exact bytes: requests written
 * with the generated codecs, responses read back with them.
 */
export class WireClient {
  readonly #socket: Socket
  readonly #splitter = new FrameSplitter(64 * 1024 * 1024)
  readonly #waiting: ((frame: Buffer) => void)[] = []
  readonly #arrived: Buffer[] = []
  #correlationId = 0
  readonly closed: Promise<void>

  private constructor(socket: Socket) {
    this.#socket = socket
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.#splitter.push(chunk)) {
        const waiter = this.#waiting.shift()
        if (waiter) waiter(frame)
        else this.#arrived.push(frame)
      }
    })
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()))
    socket.on('error', () => {})
  }

  static async connect(bootstrap: string): Promise<WireClient> {
    const [host, port] = bootstrap.split(':')
    const socket = connect(Number(port), host)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    return new WireClient(socket)
  }

  /** The frame of a request, size prefix included, with the next correlation id. */
  frame(
    apiKey: number,
    apiVersion: number,
    body: unknown,
  ): { bytes: Buffer; correlationId: number } {
    const api = servedApi(apiKey)
    if (api === undefined) throw new Error(`api ${apiKey} not served`)
    const correlationId = ++this.#correlationId
    const writer = new ProtocolWriter()
    writer.int32(0)
    writeRequestHeader(writer, requestHeaderVersion(api, apiVersion), {
      requestApiKey: apiKey,
      requestApiVersion: apiVersion,
      correlationId,
      clientId: 'wire-test',
    })
    api.request.write(writer, apiVersion, body)
    const bytes = Buffer.from(writer.finish())
    bytes.writeInt32BE(bytes.length - 4, 0)
    return { bytes, correlationId }
  }

  write(bytes: Buffer): void {
    this.#socket.write(bytes)
  }

  /** The next response frame, without its size prefix. */
  nextFrame(): Promise<Buffer> {
    const arrived = this.#arrived.shift()
    if (arrived) return Promise.resolve(arrived)
    return new Promise((resolve) => this.#waiting.push(resolve))
  }

  /** Reads a response frame as the answer to `apiKey` at `apiVersion`. */
  decode<T>(frame: Buffer, apiKey: number, apiVersion: number): { correlationId: number; body: T } {
    const api = servedApi(apiKey)
    if (api === undefined) throw new Error(`api ${apiKey} not served`)
    const reader = new ProtocolReader(frame)
    const header = readResponseHeader(reader, responseHeaderVersion(apiKey, api, apiVersion))
    const body = api.response.read(reader, apiVersion) as T
    reader.end()
    return { correlationId: header.correlationId, body }
  }

  async send<T>(apiKey: number, apiVersion: number, body: unknown): Promise<T> {
    const { bytes, correlationId } = this.frame(apiKey, apiVersion, body)
    this.write(bytes)
    const response = this.decode<T>(await this.nextFrame(), apiKey, apiVersion)
    if (response.correlationId !== correlationId) {
      throw new Error(`correlation id ${response.correlationId}, expected ${correlationId}`)
    }
    return response.body
  }

  close(): void {
    this.#socket.destroy()
  }
}
