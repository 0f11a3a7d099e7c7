import CRC32C from 'crc-32/crc32c.js'

/** CRC-32C (Castagnoli), as unsigned 32-bit: the checksum Kafka's RecordBatch v2 stores. */
export function crc32c(bytes: Uint8Array): number {
  // crc-32 returns a signed int32; Kafka writes the field as uint32.
  return CRC32C.buf(bytes) >>> 0
}
