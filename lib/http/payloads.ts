import type { PayloadFormat } from '../broker/payload-formats.ts'
import type { Payload } from '../broker/produce-record.ts'
import { PayloadConversionError } from '../errors.ts'

/**
 * Decodes strict base64. Node's decoder skips bad characters silently, which
 * would store garbage; canonical input is exactly what re-encoding gives back,
 * a check several times cheaper than a validating regular expression.
 */
export function decodeBase64(text: string, what: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64')
  if (bytes.toString('base64') !== text) {
    throw new PayloadConversionError(`${what} is not valid base64.`)
  }
  return bytes
}

/** Turns REST data of a declared format into the bytes Kafka stores, as the REST Proxy does. */
export function toPayload(format: PayloadFormat, data: unknown, what: string): Payload {
  switch (format) {
    case 'BINARY':
      if (typeof data !== 'string') {
        throw new PayloadConversionError(`${what} of type BINARY must be a base64 string.`)
      }
      return { format, bytes: decodeBase64(data, what) }
    case 'STRING':
      if (typeof data !== 'string') {
        throw new PayloadConversionError(`${what} of type STRING must be a string.`)
      }
      return { format, bytes: Buffer.from(data, 'utf8') }
    case 'JSON':
      return { format, bytes: Buffer.from(JSON.stringify(data) ?? 'null', 'utf8') }
  }
}

/** The REST form of stored bytes: JSON parsed, strings as text, binary as base64. */
export function fromPayload(format: PayloadFormat, bytes: Uint8Array): unknown {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  switch (format) {
    case 'BINARY':
      return buffer.toString('base64')
    case 'STRING':
      return buffer.toString('utf8')
    case 'JSON':
      return JSON.parse(buffer.toString('utf8'))
  }
}
