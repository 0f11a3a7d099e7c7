/** Producer sequence numbers as Kafka counts them; the client numbers batches and the broker checks them by the same rule. */

/** Sequences are int32 and wrap to 0 after this, as in Kafka. */
export const MAX_SEQUENCE = 2 ** 31 - 1

/** `sequence` moved on by `delta`, wrapping as Kafka's do. */
export function sequenceAfter(sequence: number, delta: number): number {
  return (sequence + delta) % (MAX_SEQUENCE + 1)
}
