/**
 * What the broker reports while it works. The broker knows nothing of where
 * the numbers go: the deployed handler passes a sink that writes CloudWatch
 * metrics, everything else gets the no-op.
 */
export interface BrokerMetrics {
  /** Records acknowledged by one committed append. */
  recordsProduced(count: number): void
  /** Records returned by one read. */
  recordsRead(count: number): void
  /** A commit lost a race for a partition head and is about to be retried. */
  commitConflict(): void
}

export const NO_BROKER_METRICS: BrokerMetrics = {
  recordsProduced() {},
  recordsRead() {},
  commitConflict() {},
}
