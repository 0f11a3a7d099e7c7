import type { CompatibilityLevel } from './compatibility-levels.ts'

/** One version of a subject: the schema id it points to, and whether it was soft deleted. */
export interface SubjectVersion {
  readonly version: number
  readonly id: number
  readonly deleted: boolean
}

/** A subject's whole state, stored as one item so every change is one conditional write. */
export interface Subject {
  readonly name: string
  /** In ascending version order. */
  readonly versions: readonly SubjectVersion[]
  /** The subject's own level; without one, the global level applies. */
  readonly compatibility?: CompatibilityLevel
  /** Counts the writes to the item: a write expects the revision it read. 0: never stored. */
  readonly revision: number
}

/** `latest` is the highest version; Confluent also spells it -1. */
export type VersionSelector = number | 'latest'

export function emptySubject(name: string): Subject {
  return { name, versions: [], revision: 0 }
}

export function visibleVersions(subject: Subject, includeDeleted: boolean): SubjectVersion[] {
  return subject.versions.filter((entry) => includeDeleted || !entry.deleted)
}

export function findVersion(
  subject: Subject,
  selector: VersionSelector,
  includeDeleted: boolean,
): SubjectVersion | undefined {
  const visible = visibleVersions(subject, includeDeleted)
  return selector === 'latest' ? visible.at(-1) : visible.find((v) => v.version === selector)
}

/**
 * The number the next registration gets: one past every version the subject
 * still holds, soft-deleted ones included, as Confluent numbers them.
 */
export function nextVersion(subject: Subject): number {
  return (subject.versions.at(-1)?.version ?? 0) + 1
}
