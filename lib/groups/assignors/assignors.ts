import type { Assignor } from './assignor.ts'
import { rangeAssignor } from './range-assignor.ts'
import { roundRobinAssignor } from './round-robin-assignor.ts'
import { stickyAssignor } from './sticky-assignor.ts'

/** The server-side assignors, by the names members ask for them with; the first is the default. */
export const ASSIGNORS = {
  'cooperative-sticky': stickyAssignor,
  range: rangeAssignor,
  roundrobin: roundRobinAssignor,
} as const satisfies Record<string, Assignor>

export type AssignorName = keyof typeof ASSIGNORS

export const ASSIGNOR_NAMES = Object.keys(ASSIGNORS) as AssignorName[]

export const DEFAULT_ASSIGNOR: AssignorName = 'cooperative-sticky'

export function isAssignorName(name: string): name is AssignorName {
  return Object.hasOwn(ASSIGNORS, name)
}

/**
 * The assignor a group uses, as KIP-848 chooses it: the one most members
 * prefer; a tie goes to the earlier name in ASSIGNOR_NAMES.
 */
export function chooseAssignor(preferences: readonly (AssignorName | undefined)[]): AssignorName {
  const votes = new Map<AssignorName, number>()
  for (const name of preferences) {
    if (name !== undefined) votes.set(name, (votes.get(name) ?? 0) + 1)
  }
  let chosen = DEFAULT_ASSIGNOR
  let best = 0
  for (const name of ASSIGNOR_NAMES) {
    const count = votes.get(name) ?? 0
    if (count > best) {
      chosen = name
      best = count
    }
  }
  return chosen
}
