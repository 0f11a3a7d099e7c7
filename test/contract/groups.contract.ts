import { beforeAll, describe, expect, it } from 'vitest'
import type { GroupRecord, MemberRecord } from '../../lib/groups/group-records.ts'
import { GroupConflictError, type GroupStore } from '../../lib/storage/ports/groups.ts'
import {
  createGroup,
  groupRecord,
  manyPartitions,
  memberRecord,
  NOW,
  uniqueId,
} from './group-fixtures.ts'

/** The group store's contract: every engine must pass it. */
export function describeGroupStoreContract(engine: string, open: () => Promise<GroupStore>): void {
  describe(`GroupStore on ${engine}`, () => {
    let store: GroupStore
    beforeAll(async () => {
      store = await open()
    })

    async function listed(groupIds: readonly string[]): Promise<GroupRecord[]> {
      const wanted = new Set(groupIds)
      const found: GroupRecord[] = []
      for await (const group of store.groups()) if (wanted.has(group.groupId)) found.push(group)
      return found.sort((a, b) => (a.groupId < b.groupId ? -1 : 1))
    }

    describe('load and member', () => {
      it('finds neither group nor members of a group never written', async () => {
        const groupId = uniqueId('absent')
        expect(await store.load(groupId)).toEqual({ members: [] })
        expect(await store.member(groupId, 'm')).toBeUndefined()
      })

      it('reads back the group and its members as saved, members in member id order', async () => {
        const groupId = uniqueId('load')
        const members = ['m-b', 'm-c', 'm-a'].map((id) =>
          memberRecord(id, { assignor: 'roundrobin', revoking: ['orders/2'] }),
        )
        const group = await createGroup(store, groupId, members)
        const loaded = await store.load(groupId)
        expect(loaded.group).toEqual(group)
        expect(loaded.members.map((member) => member.memberId)).toEqual(['m-a', 'm-b', 'm-c'])
        expect(loaded.members).toEqual([members[2], members[0], members[1]])
        expect(await store.member(groupId, 'm-b')).toEqual(members[0])
        expect(await store.member(groupId, 'm-d')).toBeUndefined()
      })

      it('reads a group whose members fill several pages of a read', async () => {
        const groupId = uniqueId('big')
        // About 250 kB each: well past the 1 MB a single DynamoDB Query returns.
        const members = Array.from({ length: 6 }, (_, i) =>
          memberRecord(`m${i}`, { assigned: manyPartitions(1200) }),
        )
        await createGroup(store, groupId, members)
        expect((await store.load(groupId)).members).toEqual(members)
      })

      it('hands out copies: changing what was read or saved changes nothing stored', async () => {
        const groupId = uniqueId('copies')
        const member = memberRecord('m')
        await createGroup(store, groupId, [member])
        ;(member.assigned as string[]).push('orders/9')
        const {
          group,
          members: [read],
        } = await store.load(groupId)
        if (!group || !read) throw new Error('The group was not stored')
        expect(read.assigned).toEqual(['orders/0'])
        ;(read.assigned as string[]).push('orders/8')
        ;(group.target.a as string[]).push('orders/7')
        const again = await store.load(groupId)
        expect(again.members[0]?.assigned).toEqual(['orders/0'])
        expect(again.group?.target.a).toEqual(['orders/0', 'orders/1'])
      })
    })

    describe('save', () => {
      it('updates the group at its version and changes, adds and removes members at their revisions', async () => {
        const groupId = uniqueId('update')
        const [a, b] = [memberRecord('a'), memberRecord('b')]
        const group = await createGroup(store, groupId, [a, b])
        const next = { ...group, version: 2, groupEpoch: 3 }
        const changedA = { ...a, revision: 2, epoch: 3, assigned: ['orders/0', 'orders/1'] }
        const c = memberRecord('c')
        await store.save(groupId, {
          group: { record: next, expectedVersion: 1 },
          putMembers: [{ record: changedA, expectedRevision: 1 }, { record: c }],
          deleteMembers: [{ memberId: 'b', expectedRevision: 1 }],
        })
        expect(await store.load(groupId)).toEqual({ group: next, members: [changedA, c] })
      })

      it('writes one member alone, and removes one alone', async () => {
        const groupId = uniqueId('single')
        const a = memberRecord('a')
        await createGroup(store, groupId, [a])
        const touched = { ...a, revision: 2, sessionDeadline: NOW + 90_000 }
        await store.save(groupId, {
          putMembers: [{ record: touched, expectedRevision: 1 }],
          deleteMembers: [],
        })
        expect(await store.member(groupId, 'a')).toEqual(touched)
        await store.save(groupId, {
          putMembers: [],
          deleteMembers: [{ memberId: 'a', expectedRevision: 2 }],
        })
        expect(await store.member(groupId, 'a')).toBeUndefined()
      })

      const conflicts: [string, (groupId: string) => Parameters<GroupStore['save']>[1]][] = [
        [
          'creates a group that exists',
          (groupId) => ({
            group: { record: groupRecord(groupId) },
            putMembers: [],
            deleteMembers: [],
          }),
        ],
        [
          'updates the group at a version it has left',
          (groupId) => ({
            group: { record: groupRecord(groupId, { version: 3 }), expectedVersion: 2 },
            putMembers: [{ record: memberRecord('new') }],
            deleteMembers: [],
          }),
        ],
        [
          'adds a member that exists',
          () => ({ putMembers: [{ record: memberRecord('a') }], deleteMembers: [] }),
        ],
        [
          'changes a member at a revision it has left',
          () => ({
            putMembers: [{ record: memberRecord('a', { revision: 3 }), expectedRevision: 2 }],
            deleteMembers: [],
          }),
        ],
        [
          'changes a member that is not there',
          () => ({
            putMembers: [{ record: memberRecord('ghost', { revision: 2 }), expectedRevision: 1 }],
            deleteMembers: [],
          }),
        ],
        [
          'removes a member at a revision it has left',
          () => ({ putMembers: [], deleteMembers: [{ memberId: 'a', expectedRevision: 2 }] }),
        ],
        [
          'removes a member that is not there',
          () => ({ putMembers: [], deleteMembers: [{ memberId: 'ghost', expectedRevision: 1 }] }),
        ],
        [
          'carries one stale item among good ones',
          (groupId) => ({
            group: { record: groupRecord(groupId, { version: 2 }), expectedVersion: 1 },
            putMembers: [
              { record: memberRecord('new') },
              { record: memberRecord('a', { revision: 2 }), expectedRevision: 1 },
            ],
            deleteMembers: [{ memberId: 'b', expectedRevision: 9 }],
          }),
        ],
      ]
      for (const [name, write] of conflicts) {
        it(`refuses a write that ${name}, writing none of it`, async () => {
          const groupId = uniqueId('conflict')
          await createGroup(store, groupId, [memberRecord('a'), memberRecord('b')])
          const before = await store.load(groupId)
          await expect(store.save(groupId, write(groupId))).rejects.toBeInstanceOf(
            GroupConflictError,
          )
          expect(await store.load(groupId)).toEqual(before)
        })
      }

      it('refuses an update of a group never created', async () => {
        const groupId = uniqueId('conflict')
        await expect(
          store.save(groupId, {
            group: { record: groupRecord(groupId, { version: 2 }), expectedVersion: 1 },
            putMembers: [],
            deleteMembers: [],
          }),
        ).rejects.toBeInstanceOf(GroupConflictError)
        expect(await store.load(groupId)).toEqual({ members: [] })
      })
    })

    describe('groups', () => {
      it('lists every group record, without its members', async () => {
        const ids = [uniqueId('list'), uniqueId('list')]
        const records = await Promise.all(
          ids.map((id) => createGroup(store, id, [memberRecord('a')])),
        )
        expect(await listed(ids)).toEqual(records.sort((a, b) => (a.groupId < b.groupId ? -1 : 1)))
      })

      it('lists only groups with a group record: not one never written, nor members alone', async () => {
        const [never, membersOnly] = [uniqueId('list'), uniqueId('list')] as [string, string]
        await store.save(membersOnly, {
          putMembers: [{ record: memberRecord('a') }],
          deleteMembers: [],
        })
        expect(await listed([never, membersOnly])).toEqual([])
      })

      it('lists groups that fill several pages', async () => {
        const ids = Array.from({ length: 6 }, () => uniqueId('page'))
        const target = { a: manyPartitions(1200) }
        for (const id of ids) await createGroup(store, id, [memberRecord('a')], { target })
        expect((await listed(ids)).map((group) => group.groupId)).toEqual([...ids].sort())
      })
    })

    describe('groupsWithExpiredMembers', () => {
      it('names each group with a member whose session ended before now, once', async () => {
        const [expired, twice, onTime, empty] = ['exp', 'twice', 'ontime', 'empty'].map(uniqueId)
        const ended = { sessionDeadline: NOW - 1 }
        await createGroup(store, expired as string, [memberRecord('a', ended), memberRecord('b')])
        await createGroup(store, twice as string, [
          memberRecord('a', ended),
          memberRecord('b', ended),
        ])
        // A deadline of exactly now has not passed yet.
        await createGroup(store, onTime as string, [memberRecord('a', { sessionDeadline: NOW })])
        await createGroup(store, empty as string, [])
        const named = (await store.groupsWithExpiredMembers(NOW)).filter((id) =>
          [expired, twice, onTime, empty].includes(id),
        )
        expect(named.sort()).toEqual([expired, twice].sort())
      })

      it('finds expired members among several pages of others', async () => {
        const ids = Array.from({ length: 6 }, () => uniqueId('exp-page'))
        for (const id of ids) {
          const big: Partial<MemberRecord> = { assigned: manyPartitions(1200) }
          await createGroup(store, id, [
            memberRecord('live', big),
            memberRecord('gone', { ...big, sessionDeadline: NOW - 1 }),
          ])
        }
        const named = (await store.groupsWithExpiredMembers(NOW)).filter((id) => ids.includes(id))
        expect(named.sort()).toEqual([...ids].sort())
      })
    })
  })
}
