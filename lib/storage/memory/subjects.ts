import { emptySubject, type Subject } from '../../registry/subject.ts'
import type { SubjectStore } from '../ports/subjects.ts'

/** Subjects held in memory, replaced only at the revision they were read at. */
export class MemorySubjectStore implements SubjectStore {
  private readonly subjects = new Map<string, Subject>()

  async get(name: string): Promise<Subject> {
    return structuredClone(this.subjects.get(name) ?? emptySubject(name))
  }

  async list(): Promise<Subject[]> {
    return structuredClone([...this.subjects.values()])
  }

  async replace(current: Subject, next: Omit<Subject, 'revision'>): Promise<boolean> {
    const empty = next.versions.length === 0 && next.compatibility === undefined
    if (empty && current.revision === 0) return true
    if ((this.subjects.get(current.name)?.revision ?? 0) !== current.revision) return false
    if (empty) {
      this.subjects.delete(current.name)
    } else {
      this.subjects.set(current.name, {
        name: current.name,
        versions: structuredClone(next.versions),
        ...(next.compatibility !== undefined && { compatibility: next.compatibility }),
        revision: current.revision + 1,
      })
    }
    return true
  }
}
