/** How REST v2 consumer instances behave: the REST Proxy's consumer settings. */
export interface InstanceOptions {
  /** consumer.instance.timeout.ms: an instance nobody calls for this long is removed. */
  readonly instanceTimeoutMs: number
  /** auto.commit.interval.ms: how often a records call commits what earlier calls returned. */
  readonly autoCommitIntervalMs: number
  /** A records call that waits for data looks again after these intervals, doubling from min to max. */
  readonly pollIntervalMs: { readonly min: number; readonly max: number }
  readonly clock: () => number
}

export const DEFAULT_INSTANCE_OPTIONS: InstanceOptions = {
  instanceTimeoutMs: 300_000,
  autoCommitIntervalMs: 5_000,
  pollIntervalMs: { min: 50, max: 500 },
  clock: Date.now,
}
