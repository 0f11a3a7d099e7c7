import type { MiddlewareHandler } from 'hono'
import { RequestTooLargeError } from '../errors.ts'

/**
 * Caps request bodies without buffering them (Hono's bodyLimit reads a body of
 * unknown length whole before the handler runs, which would stop streaming
 * produce from producing while the client sends). A declared length over the
 * cap fails at once; a body of unknown length fails when the byte past the cap
 * arrives, as the error of whatever is reading it.
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => new RequestTooLargeError(`Request body is larger than ${maxBytes} bytes.`)
  return async (c, next) => {
    const body = c.req.raw.body
    if (!body) return next()
    const length = c.req.header('content-length')
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > maxBytes) throw tooLarge()
      return next()
    }
    let size = 0
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength
          if (size > maxBytes) controller.error(tooLarge())
          else controller.enqueue(chunk)
        },
      }),
    )
    c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit)
    return next()
  }
}
