/**
 * Request and response frames: an int32 size, then a header whose version
 * follows from the API and its version, then the body.
 */
import { ByteFormatError } from '../../log/varint.ts'
import {
  API_KEYS,
  requestHeaderVersion,
  responseHeaderVersion,
  type ServedApi,
  servedApi,
} from './apis.ts'
import { readRequestHeader } from './messages/request-header.ts'
import { writeResponseHeader } from './messages/response-header.ts'
import { ProtocolReader } from './reader.ts'
import { ProtocolWriter } from './writer.ts'

export interface DecodedRequest {
  readonly apiKey: number
  readonly apiVersion: number
  readonly correlationId: number
  readonly clientId: string | null
  readonly api: ServedApi
  readonly body: unknown
}

/** What a frame turned out to be. */
export type RequestFrame =
  | { readonly kind: 'request'; readonly request: DecodedRequest }
  /** ApiVersions at a version this side does not know: answered at v0, as Kafka does, so the client can retry lower. */
  | { readonly kind: 'api-versions-unsupported'; readonly correlationId: number }
  /** Anything else that cannot be answered in the client's terms: the connection is closed. */
  | { readonly kind: 'invalid'; readonly reason: string }

/** The smallest header: api key, api version, correlation id and a null client id. */
const MIN_HEADER_BYTES = 10

export function decodeRequestFrame(frame: Uint8Array): RequestFrame {
  if (frame.length < MIN_HEADER_BYTES) {
    return { kind: 'invalid', reason: `frame of ${frame.length} bytes is shorter than a header` }
  }
  const view = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength)
  const apiKey = view.readInt16BE(0)
  const apiVersion = view.readInt16BE(2)
  const correlationId = view.readInt32BE(4)
  const api = servedApi(apiKey)
  if (api === undefined) return { kind: 'invalid', reason: `API key ${apiKey} is not served` }
  const supported = apiVersion >= api.minVersion && apiVersion <= api.maxVersion
  if (!supported) {
    if (apiKey === API_KEYS.ApiVersions) return { kind: 'api-versions-unsupported', correlationId }
    return { kind: 'invalid', reason: `API key ${apiKey} at version ${apiVersion} is not served` }
  }
  try {
    const reader = new ProtocolReader(frame)
    const header = readRequestHeader(reader, requestHeaderVersion(api, apiVersion))
    const body = api.request.read(reader, apiVersion)
    reader.end()
    return {
      kind: 'request',
      request: { apiKey, apiVersion, correlationId, clientId: header.clientId, api, body },
    }
  } catch (error) {
    if (!(error instanceof ByteFormatError)) throw error
    if (apiKey === API_KEYS.ApiVersions) return { kind: 'api-versions-unsupported', correlationId }
    return { kind: 'invalid', reason: `${api.request.name} v${apiVersion}: ${error.message}` }
  }
}

/** A response frame, size prefix included. */
export function encodeResponseFrame(
  apiKey: number,
  apiVersion: number,
  correlationId: number,
  body: unknown,
): Buffer {
  const api = servedApi(apiKey)
  if (api === undefined) throw new RangeError(`API key ${apiKey} is not served`)
  const writer = new ProtocolWriter()
  writer.int32(0) // size, set below
  writeResponseHeader(writer, responseHeaderVersion(apiKey, api, apiVersion), { correlationId })
  api.response.write(writer, apiVersion, body)
  const frame = writer.finish()
  frame.writeInt32BE(frame.length - 4, 0)
  return frame
}
