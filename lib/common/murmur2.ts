const SEED = 0x9747b28c
const M = 0x5bd1e995
const R = 24

/**
 * MurmurHash2 as Kafka's `Utils.murmur2` computes it: seed 0x9747b28c, little-endian
 * 4-byte blocks, signed 32-bit result. Must stay bit-identical to the Java client,
 * or keys land on different partitions than Kafka producers put them.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length
  let h = SEED ^ length
  const blocksEnd = length & ~3

  for (let i = 0; i < blocksEnd; i += 4) {
    let k =
      (data[i] as number) |
      ((data[i + 1] as number) << 8) |
      ((data[i + 2] as number) << 16) |
      ((data[i + 3] as number) << 24)
    k = Math.imul(k, M)
    k ^= k >>> R
    k = Math.imul(k, M)
    h = Math.imul(h, M) ^ k
  }

  const tail = length & 3
  if (tail === 3) h ^= (data[blocksEnd + 2] as number) << 16
  if (tail >= 2) h ^= (data[blocksEnd + 1] as number) << 8
  if (tail >= 1) {
    h ^= data[blocksEnd] as number
    h = Math.imul(h, M)
  }

  h ^= h >>> 13
  h = Math.imul(h, M)
  h ^= h >>> 15
  return h | 0
}
