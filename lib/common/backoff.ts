import { setTimeout as sleep } from 'node:timers/promises'

export interface BackoffPolicy {
  readonly baseMs: number
  readonly capMs: number
}

/**
 * "Full jitter" backoff: a random wait up to an exponentially growing cap.
 * Contending writers spread out instead of colliding again in lockstep.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt)
  return Math.floor(random() * ceiling)
}

export async function backoff(attempt: number, policy: BackoffPolicy): Promise<void> {
  await sleep(backoffDelay(attempt, policy))
}
