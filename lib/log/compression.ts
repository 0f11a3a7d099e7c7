/**
 * Decompression of the record payloads in compressed batches, as Kafka's
 * clients write them: gzip, snappy (raw, or in the xerial framing of the Java
 * client), lz4 (frames) and zstd. Pure JavaScript libraries, so the Lambda
 * bundle needs no native code.
 */
import { gunzipSync } from 'node:zlib'
import { decompress as zstdDecompress } from 'fzstd'
import { decompress as lz4Decompress } from 'lz4js'
import { uncompress as snappyUncompress } from 'snappyjs'

export const COMPRESSION_CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const
export type CompressionCodec = (typeof COMPRESSION_CODECS)[number]

/** Far above any batch a topic accepts (max.message.bytes), far below what would exhaust memory. */
export const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024

export class DecompressionError extends Error {
  override name = 'DecompressionError'
}

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00])
/** Magic, then two int32 versions. */
const XERIAL_HEADER_BYTES = 16

function snappy(bytes: Uint8Array): Uint8Array {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (data.length < XERIAL_HEADER_BYTES || !data.subarray(0, 8).equals(XERIAL_MAGIC)) {
    return snappyUncompress(data, MAX_DECOMPRESSED_BYTES)
  }
  // The Java client's framing: blocks of int32 length + raw snappy.
  const blocks: Uint8Array[] = []
  let total = 0
  for (let position = XERIAL_HEADER_BYTES; position < data.length; ) {
    if (position + 4 > data.length) throw new DecompressionError('truncated xerial snappy block')
    const length = data.readInt32BE(position)
    position += 4
    if (length < 0 || position + length > data.length) {
      throw new DecompressionError('xerial snappy block overruns the payload')
    }
    const block = snappyUncompress(
      data.subarray(position, position + length),
      MAX_DECOMPRESSED_BYTES,
    )
    total += block.length
    if (total > MAX_DECOMPRESSED_BYTES) throw new DecompressionError('snappy payload too large')
    blocks.push(block)
    position += length
  }
  return Buffer.concat(blocks)
}

/** The records of a compressed batch, as bytes. */
export function decompress(
  codec: Exclude<CompressionCodec, 'none'>,
  bytes: Uint8Array,
): Uint8Array {
  try {
    switch (codec) {
      case 'gzip':
        return gunzipSync(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES })
      case 'snappy':
        return snappy(bytes)
      case 'lz4':
        return lz4Decompress(bytes)
      case 'zstd':
        return zstdDecompress(bytes)
    }
  } catch (error) {
    if (error instanceof DecompressionError) throw error
    throw new DecompressionError(
      `${codec} payload does not decompress: ${(error as Error).message}`,
      {
        cause: error,
      },
    )
  }
}
