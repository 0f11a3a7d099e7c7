/** Kafka's murmur2 test vectors: apache/kafka UtilsTest and kafkajs murmur2.spec (REFERENCE.md §5). */
export const MURMUR2_VECTORS: readonly (readonly [key: string, hash: number])[] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
]
