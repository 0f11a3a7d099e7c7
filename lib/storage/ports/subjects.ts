import type { Subject } from '../../registry/subject.ts'

/**
 * The schema registry's subjects, each stored whole and changed only by a
 * replacement conditioned on the revision it was read at.
 */
export interface SubjectStore {
  /** The subject as stored, or an empty one (revision 0) if it has never been written. */
  get(name: string): Promise<Subject>

  /** Every stored subject, in no particular order. */
  list(): Promise<Subject[]>

  /**
   * Replaces the subject read at `current.revision` with `next`, at the next
   * revision; a subject left with no versions and no level of its own is
   * removed. False when another writer changed it first: nothing was written,
   * and the caller reads again.
   */
  replace(current: Subject, next: Omit<Subject, 'revision'>): Promise<boolean>
}
