import type { Socket } from 'node:net'
import { API_KEYS } from '../protocol/apis.ts'
import { ErrorCode } from '../protocol/error-codes.ts'
import type { DecodedRequest } from '../protocol/frames.ts'
import { decodeRequestFrame, encodeResponseFrame } from '../protocol/frames.ts'
import type { SaslAuthenticateRequest } from '../protocol/messages/sasl-authenticate-request.ts'
import type { SaslHandshakeRequest } from '../protocol/messages/sasl-handshake-request.ts'
import type { GatewayContext } from './context.ts'
import { dispatch } from './dispatch.ts'
import { FrameSplitter } from './frame-splitter.ts'
import { unsupportedApiVersions } from './handlers/api-versions.ts'
import { type ApiKeyCheck, type SaslState, saslAuthenticate, saslHandshake } from './sasl.ts'

export interface ConnectionOptions {
  readonly maxFrameBytes: number
  /** Why a connection was closed on the client: a bad frame or a failure no error code covers. */
  readonly onClose: (reason: string, error?: unknown) => void
  /** When set, clients must authenticate with SASL/PLAIN and a live API key first. */
  readonly checkApiKey?: ApiKeyCheck
}

/** What a SASL request leads to: the response, and whether the connection then ends. */
interface SaslStep {
  readonly body: unknown
  readonly close: boolean
}

function illegalSaslState(request: DecodedRequest): SaslStep {
  const body =
    request.apiKey === API_KEYS.SaslHandshake
      ? { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] }
      : {
          errorCode: ErrorCode.ILLEGAL_SASL_STATE,
          errorMessage: 'SASL is not expected now on this connection.',
          authBytes: new Uint8Array(0),
          sessionLifetimeMs: 0,
        }
  return { body, close: true }
}

/** Frames read ahead of the one being answered before the socket stops reading. */
const MAX_QUEUED_FRAMES = 32

/** A connection being served. */
export interface ServedConnection {
  /**
   * Stops reading, answers every request already read, then ends the
   * connection: a client sees its requests answered and a clean close, and
   * reconnects elsewhere, instead of a reset that leaves it guessing whether
   * a produce was stored.
   */
  drain(): Promise<void>
}

/**
 * One client connection. Requests are answered one at a time, in the order
 * they came, as a Kafka broker does; a pipelining client gets its responses in
 * order. A frame that cannot be answered in Kafka's terms closes the connection.
 */
export function serveConnection(
  socket: Socket,
  context: GatewayContext,
  options: ConnectionOptions,
): ServedConnection {
  const splitter = new FrameSplitter(options.maxFrameBytes)
  const { checkApiKey } = options
  let sasl: SaslState = checkApiKey ? 'start' : 'authenticated'

  const saslStep = async (request: DecodedRequest): Promise<SaslStep> => {
    if (checkApiKey === undefined) return illegalSaslState(request)
    if (request.apiKey === API_KEYS.SaslHandshake) {
      if (sasl !== 'start') return illegalSaslState(request)
      const { response, accepted } = saslHandshake(request.body as SaslHandshakeRequest)
      if (accepted) sasl = 'handshaken'
      return { body: response, close: !accepted }
    }
    if (sasl !== 'handshaken') return illegalSaslState(request)
    const outcome = await saslAuthenticate(request.body as SaslAuthenticateRequest, checkApiKey)
    if (outcome.authenticated) sasl = 'authenticated'
    return { body: outcome.response, close: !outcome.authenticated }
  }
  let queue = Promise.resolve()
  let queued = 0
  let draining = false

  const close = (reason: string, error?: unknown) => {
    if (socket.destroyed) return
    options.onClose(reason, error)
    socket.destroy()
  }

  const answer = async (frame: Buffer) => {
    if (socket.destroyed) return
    const decoded = decodeRequestFrame(frame)
    if (decoded.kind === 'invalid') return close(decoded.reason)
    if (decoded.kind === 'api-versions-unsupported') {
      socket.write(
        encodeResponseFrame(
          API_KEYS.ApiVersions,
          0,
          decoded.correlationId,
          unsupportedApiVersions(),
        ),
      )
      return
    }
    const { request } = decoded
    const respond = (body: unknown) =>
      encodeResponseFrame(request.apiKey, request.apiVersion, request.correlationId, body)
    if (request.apiKey === API_KEYS.SaslHandshake || request.apiKey === API_KEYS.SaslAuthenticate) {
      const step = await saslStep(request)
      if (socket.destroyed) return
      if (step.close) {
        options.onClose('SASL authentication did not succeed')
        socket.end(respond(step.body))
      } else {
        socket.write(respond(step.body))
      }
      return
    }
    if (sasl !== 'authenticated' && request.apiKey !== API_KEYS.ApiVersions) {
      return close(`${request.api.request.name} before SASL authentication`)
    }
    const body = await dispatch(context, request)
    if (body !== undefined && !socket.destroyed) socket.write(respond(body))
  }

  socket.on('data', (chunk: Buffer) => {
    let frames: Buffer[]
    try {
      frames = splitter.push(chunk)
    } catch (error) {
      return close((error as Error).message, error)
    }
    for (const frame of frames) {
      queued++
      if (queued >= MAX_QUEUED_FRAMES) socket.pause()
      queue = queue
        .then(() => answer(frame))
        .catch((error: unknown) => close('request failed', error))
        .finally(() => {
          queued--
          if (queued < MAX_QUEUED_FRAMES / 2 && socket.isPaused() && !draining) socket.resume()
        })
    }
  })
  socket.on('error', (error) => close('socket error', error))
  return {
    async drain() {
      draining = true
      // A paused socket emits no more data, so no frame joins the queue after this.
      socket.pause()
      await queue
      if (!socket.destroyed) socket.end()
    },
  }
}
