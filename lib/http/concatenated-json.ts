import { JSONParser } from '@streamparser/json'
import { BadRequestError } from '../errors.ts'

/**
 * Yields each top-level value of a body of concatenated JSON (the REST Proxy's
 * streaming produce format) as soon as its last byte arrives, so records can be
 * produced while the client is still sending.
 */
export async function* concatenatedJson(
  body: ReadableStream<Uint8Array> | null,
): AsyncGenerator<unknown[]> {
  if (!body) return
  const parser = new JSONParser({ separator: '', paths: ['$'] })
  let parsed: unknown[] = []
  let failure: Error | undefined
  parser.onValue = ({ value }) => {
    parsed.push(value)
  }
  parser.onError = (error) => {
    failure ??= error
  }
  const take = () => {
    const values = parsed
    parsed = []
    return values
  }
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    if (failure) break
    parser.write(chunk)
    if (parsed.length > 0) yield take()
  }
  if (!failure && !parser.isEnded) parser.end()
  if (parsed.length > 0) yield take()
  if (failure) {
    // The parser's messages may end in a full stop of their own.
    const reason = failure.message.replace(/\.+$/, '')
    throw new BadRequestError(`Malformed JSON in request body: ${reason}.`)
  }
}
