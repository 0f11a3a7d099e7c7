import { InvalidCompatibilityLevelError } from './errors.ts'

/** Confluent's compatibility levels: which earlier versions a new schema is checked against, and how. */
export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const

export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number]

export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD'

export interface CompatibilityRule {
  /** The new schema must read data written with the earlier ones. */
  readonly backward: boolean
  /** The earlier schemas must read data written with the new one. */
  readonly forward: boolean
  /** Every earlier live version is checked, not only the latest. */
  readonly transitive: boolean
}

export function compatibilityRule(level: CompatibilityLevel): CompatibilityRule {
  return {
    backward: level.startsWith('BACKWARD') || level.startsWith('FULL'),
    forward: level.startsWith('FORWARD') || level.startsWith('FULL'),
    transitive: level.endsWith('_TRANSITIVE'),
  }
}

/** Reads a level as Confluent does, in any letter case; anything else is 42203. */
export function parseCompatibilityLevel(text: unknown): CompatibilityLevel {
  const level = typeof text === 'string' ? text.toUpperCase() : undefined
  const known = COMPATIBILITY_LEVELS.find((candidate) => candidate === level)
  if (!known) {
    throw new InvalidCompatibilityLevelError(
      `Invalid compatibility level ${JSON.stringify(text ?? null)}; valid levels are ${COMPATIBILITY_LEVELS.join(', ')}.`,
    )
  }
  return known
}
