/** A setting members may choose within bounds, and what they get when they do not. */
export interface Bounded {
  readonly default: number
  readonly min: number
  readonly max: number
}

export interface GroupOptions {
  /**
   * session.timeout.ms, with Kafka's broker-side bounds
   * (group.min.session.timeout.ms, group.max.session.timeout.ms).
   */
  readonly sessionTimeoutMs: Bounded
  /**
   * Kafka's heartbeat.interval.ms: a live member's session deadline is rewritten
   * at most this often (and at least three times per session), so a busy
   * member does not write on every call.
   */
  readonly heartbeatIntervalMs: number
  /** How stale a group's view of its subscribed topics may get before a heartbeat reads them again. */
  readonly metadataMaxAgeMs: number
  /** Conflicting writes to one group are retried this many times before the caller is told to retry. */
  readonly maxConflictRetries: number
  readonly clock: () => number
}

export const DEFAULT_GROUP_OPTIONS: GroupOptions = {
  sessionTimeoutMs: { default: 45_000, min: 6_000, max: 1_800_000 },
  heartbeatIntervalMs: 3_000,
  metadataMaxAgeMs: 5_000,
  maxConflictRetries: 10,
  clock: Date.now,
}
