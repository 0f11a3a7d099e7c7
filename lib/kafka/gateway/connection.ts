import type { Socket } from 'node:net'
import { API_KEYS } from '../protocol/apis.ts'
import { decodeRequestFrame, encodeResponseFrame } from '../protocol/frames.ts'
import type { GatewayContext } from './context.ts'
import { dispatch } from './dispatch.ts'
import { FrameSplitter } from './frame-splitter.ts'
import { unsupportedApiVersions } from './handlers/api-versions.ts'

export interface ConnectionOptions {
  readonly maxFrameBytes: number
  /** Why a connection was closed on the client: a bad frame or a failure no error code covers. */
  readonly onClose: (reason: string, error?: unknown) => void
}

/** Frames read ahead of the one being answered before the socket stops reading. */
const MAX_QUEUED_FRAMES = 32

/**
 * One client connection. Requests are answered one at a time, in the order
 * they came, as a Kafka broker does; a pipelining client gets its responses in
 * order. A frame that cannot be answered in Kafka's terms closes the connection.
 */
export function serveConnection(
  socket: Socket,
  context: GatewayContext,
  options: ConnectionOptions,
): void {
  const splitter = new FrameSplitter(options.maxFrameBytes)
  let queue = Promise.resolve()
  let queued = 0

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
    const body = await dispatch(context, request)
    if (body !== undefined && !socket.destroyed) {
      socket.write(
        encodeResponseFrame(request.apiKey, request.apiVersion, request.correlationId, body),
      )
    }
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
          if (queued < MAX_QUEUED_FRAMES / 2 && socket.isPaused()) socket.resume()
        })
    }
  })
  socket.on('error', (error) => close('socket error', error))
}
