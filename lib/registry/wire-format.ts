/**
 * Confluent's wire format, which every Confluent serializer writes and reads:
 * a zero magic byte, the schema id as a 4-byte big-endian integer, then the
 * serialized body.
 */

const MAGIC_BYTE = 0
const HEADER_BYTES = 5

export class WireFormatError extends Error {
  override name = 'WireFormatError'
}

export function frame(schemaId: number, body: Uint8Array): Uint8Array {
  const framed = Buffer.alloc(HEADER_BYTES + body.byteLength)
  framed.writeUInt8(MAGIC_BYTE, 0)
  framed.writeUInt32BE(schemaId, 1)
  framed.set(body, HEADER_BYTES)
  return framed
}

export interface Framed {
  readonly schemaId: number
  readonly body: Buffer
}

export function unframe(bytes: Uint8Array): Framed {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buffer.byteLength < HEADER_BYTES) {
    throw new WireFormatError(
      `is ${buffer.byteLength} bytes long, shorter than the 5-byte Confluent wire format header`,
    )
  }
  const magic = buffer.readUInt8(0)
  if (magic !== MAGIC_BYTE) {
    throw new WireFormatError(
      `starts with byte 0x${magic.toString(16).padStart(2, '0')}, not the Confluent wire format's magic byte 0x00`,
    )
  }
  return { schemaId: buffer.readUInt32BE(1), body: buffer.subarray(HEADER_BYTES) }
}
