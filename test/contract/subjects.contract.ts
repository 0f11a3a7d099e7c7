import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Subject, SubjectVersion } from '../../lib/registry/subject.ts'
import type { SubjectStore } from '../../lib/storage/ports/subjects.ts'

const subjectName = (prefix: string) => `${prefix}-${randomUUID()}`

const version = (n: number, id: number, deleted = false): SubjectVersion => ({
  version: n,
  id,
  deleted,
})

const byName = (a: Subject, b: Subject) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

/** What every SubjectStore engine must do; `open` gives an empty store. */
export function describeSubjectStoreContract(
  engineName: string,
  open: () => Promise<SubjectStore>,
): void {
  describe(`SubjectStore contract (${engineName})`, () => {
    it('answers a subject never written as empty, at revision 0', async () => {
      const store = await open()
      const name = subjectName('absent')
      expect(await store.get(name)).toEqual({ name, versions: [], revision: 0 })
      expect(await store.list()).toEqual([])
    })

    it('stores a replacement at the next revision, with its level or without one', async () => {
      const store = await open()
      const name = subjectName('stored')
      const empty = await store.get(name)
      const first = { name, versions: [version(1, 7)], compatibility: 'FULL' as const }
      expect(await store.replace(empty, first)).toBe(true)
      const stored = await store.get(name)
      expect(stored).toEqual({ ...first, revision: 1 })

      const second = { name, versions: [version(1, 7, true), version(2, 9)] }
      expect(await store.replace(stored, second)).toBe(true)
      expect(await store.get(name)).toEqual({ ...second, revision: 2 })
    })

    it('refuses a replacement based on a revision that is no longer current, writing nothing', async () => {
      const store = await open()
      const name = subjectName('stale')
      const empty = await store.get(name)
      expect(await store.replace(empty, { name, versions: [version(1, 1)] })).toBe(true)
      // Another writer read the subject before that write, at revision 0.
      expect(await store.replace(empty, { name, versions: [version(1, 2)] })).toBe(false)
      const current = await store.get(name)
      expect(current).toEqual({ name, versions: [version(1, 1)], revision: 1 })

      expect(await store.replace(current, { name, versions: [version(1, 1), version(2, 3)] })).toBe(
        true,
      )
      expect(await store.replace(current, { name, versions: [] })).toBe(false)
      expect((await store.get(name)).revision).toBe(2)
    })

    it('lets one of two writers that read the same revision win', async () => {
      const store = await open()
      const name = subjectName('race')
      const read = await store.get(name)
      const results = await Promise.all(
        [1, 2].map((id) => store.replace(read, { name, versions: [version(1, id)] })),
      )
      expect([...results].sort()).toEqual([false, true])
      const winner = results.indexOf(true) + 1
      expect(await store.get(name)).toEqual({ name, versions: [version(1, winner)], revision: 1 })
    })

    it('removes a subject left with no versions and no level of its own', async () => {
      const store = await open()
      const name = subjectName('removed')
      expect(await store.replace(await store.get(name), { name, versions: [version(1, 4)] })).toBe(
        true,
      )
      expect(await store.replace(await store.get(name), { name, versions: [] })).toBe(true)
      expect(await store.get(name)).toEqual({ name, versions: [], revision: 0 })
      expect(await store.list()).toEqual([])
      // An empty subject never stored stays unstored.
      expect(await store.replace(await store.get(name), { name, versions: [] })).toBe(true)
      expect(await store.list()).toEqual([])
    })

    it('keeps a subject with no versions but a level of its own', async () => {
      const store = await open()
      const name = subjectName('level-only')
      const next = { name, versions: [], compatibility: 'NONE' as const }
      expect(await store.replace(await store.get(name), next)).toBe(true)
      expect(await store.get(name)).toEqual({ ...next, revision: 1 })
    })

    it('lists every stored subject, soft-deleted versions included', async () => {
      const store = await open()
      const names = ['b', 'a', 'c'].map(subjectName)
      for (const [i, name] of names.entries()) {
        const versions = [version(1, i + 1, i === 0)]
        expect(await store.replace(await store.get(name), { name, versions })).toBe(true)
      }
      const listed = (await store.list()).sort(byName)
      expect(listed).toEqual(
        names
          .map((name, i) => ({ name, versions: [version(1, i + 1, i === 0)], revision: 1 }))
          .sort(byName),
      )
    })

    it('keeps what it stores apart from the objects it was given and gave out', async () => {
      const store = await open()
      const name = subjectName('copied')
      const versions = [version(1, 5)]
      expect(await store.replace(await store.get(name), { name, versions })).toBe(true)
      versions.push(version(2, 6))
      const read = await store.get(name)
      ;(read.versions as SubjectVersion[]).push(version(3, 7))
      const [listed] = await store.list()
      ;(listed?.versions as SubjectVersion[]).length = 0
      expect(await store.get(name)).toEqual({ name, versions: [version(1, 5)], revision: 1 })
    })
  })
}
