import { beforeAll, describe, expect, it } from 'vitest'
import type { MemberRecord } from '../../lib/groups/group-records.ts'
import { partitionKeyOf } from '../../lib/groups/topic-partitions.ts'
import type { GroupStores } from '../../lib/storage/ports/groups.ts'
import {
  type CommittedOffset,
  FenceRejectedError,
  type OffsetFence,
} from '../../lib/storage/ports/offsets.ts'
import { createGroup, memberRecord, NOW, uniqueId } from './group-fixtures.ts'

type Stores = Pick<GroupStores, 'groups' | 'offsets'>
type MemberFence = Extract<OffsetFence, { kind: 'member' }>

function offset(topic: string, partition: number, changes: Partial<CommittedOffset> = {}) {
  return {
    topic,
    partition,
    topicId: `${topic}-id`,
    offset: 10 * partition + 5,
    metadata: '',
    committedAt: NOW,
    ...changes,
  }
}

function byPartition(offsets: readonly CommittedOffset[]): CommittedOffset[] {
  return [...offsets].sort((a, b) => (partitionKeyOf(a) < partitionKeyOf(b) ? -1 : 1))
}

/** The offset store's contract, with the group store of the same engine its fences look at. */
export function describeOffsetStoreContract(engine: string, open: () => Promise<Stores>): void {
  describe(`OffsetStore on ${engine}`, () => {
    let stores: Stores
    beforeAll(async () => {
      stores = await open()
    })

    /** A group with one member, `m`, at epoch 2 holding orders/0 and giving up orders/1. */
    async function groupWithMember(changes: Partial<MemberRecord> = {}): Promise<string> {
      const groupId = uniqueId('offsets')
      await createGroup(stores.groups, groupId, [
        memberRecord('m', { assigned: ['orders/0'], revoking: ['orders/1'], ...changes }),
      ])
      return groupId
    }

    const memberFence = (changes: Partial<MemberFence> = {}): MemberFence => ({
      kind: 'member',
      memberId: 'm',
      memberEpoch: 2,
      at: NOW,
      ...changes,
    })

    describe('list', () => {
      it('lists nothing for a group without offsets', async () => {
        expect(await stores.offsets.list(uniqueId('none'))).toEqual([])
      })

      it("lists only the group's own offsets", async () => {
        const [a, b] = [await groupWithMember(), await groupWithMember()]
        await stores.offsets.commit(a, [offset('orders', 0)], memberFence())
        await stores.offsets.commit(b, [offset('orders', 1, { offset: 99 })], memberFence())
        expect(await stores.offsets.list(a)).toEqual([offset('orders', 0)])
        expect(await stores.offsets.list(b)).toEqual([offset('orders', 1, { offset: 99 })])
      })
    })

    describe('commit by a member', () => {
      it('commits partitions the member holds, assigned or giving up, and a later commit replaces them', async () => {
        const groupId = await groupWithMember()
        const first = [offset('orders', 0, { metadata: 'first' }), offset('orders', 1)]
        await stores.offsets.commit(groupId, first, memberFence())
        expect(byPartition(await stores.offsets.list(groupId))).toEqual(first)
        const second = offset('orders', 0, { offset: 42, committedAt: NOW + 5 })
        await stores.offsets.commit(groupId, [second], memberFence({ at: NOW + 5 }))
        expect(byPartition(await stores.offsets.list(groupId))).toEqual([second, first[1]])
      })

      it('commits while the session lasts, up to its last millisecond', async () => {
        const groupId = await groupWithMember({ sessionDeadline: NOW + 100 })
        await stores.offsets.commit(groupId, [offset('orders', 0)], memberFence({ at: NOW + 100 }))
        expect(await stores.offsets.list(groupId)).toEqual([offset('orders', 0)])
      })

      it('leaves the group as it was', async () => {
        const groupId = await groupWithMember()
        const before = await stores.groups.load(groupId)
        await stores.offsets.commit(groupId, [offset('orders', 0)], memberFence())
        expect(await stores.groups.load(groupId)).toEqual(before)
      })

      const refusals: [string, Partial<MemberRecord>, Partial<MemberFence>, number[]][] = [
        ['at an epoch the member has left', {}, { memberEpoch: 1 }, [0]],
        ['at an epoch the member has not reached', {}, { memberEpoch: 3 }, [0]],
        ['after its session ended', { sessionDeadline: NOW - 1 }, {}, [0]],
        ['of a partition it does not hold, among ones it does', {}, {}, [0, 1, 2]],
        ['from a member the group does not have', {}, { memberId: 'other' }, [0]],
      ]
      for (const [name, member, fence, partitions] of refusals) {
        it(`refuses a commit ${name}, writing none of it`, async () => {
          const groupId = await groupWithMember(member)
          const offsets = partitions.map((partition) => offset('orders', partition))
          await expect(
            stores.offsets.commit(groupId, offsets, memberFence(fence)),
          ).rejects.toBeInstanceOf(FenceRejectedError)
          expect(await stores.offsets.list(groupId)).toEqual([])
        })
      }

      it('refuses a member commit to a group that does not exist', async () => {
        const groupId = uniqueId('absent')
        await expect(
          stores.offsets.commit(groupId, [offset('orders', 0)], memberFence()),
        ).rejects.toBeInstanceOf(FenceRejectedError)
        expect(await stores.offsets.list(groupId)).toEqual([])
        expect(await stores.groups.load(groupId)).toEqual({ members: [] })
      })

      it('commits hundreds of partitions with long metadata, and lists them all', async () => {
        const partitions = Array.from({ length: 300 }, (_, i) => i)
        const groupId = await groupWithMember({
          assigned: partitions.map((partition) => `orders/${partition}`),
        })
        // About 1 MB in all: past a single DynamoDB Query page and its 100-item transactions.
        const offsets = partitions.map((p) => offset('orders', p, { metadata: 'm'.repeat(4096) }))
        await stores.offsets.commit(groupId, offsets, memberFence())
        expect(byPartition(await stores.offsets.list(groupId))).toEqual(byPartition(offsets))
      })
    })

    describe('commit without membership', () => {
      it('creates a group that does not exist, empty, at version 1', async () => {
        const groupId = uniqueId('fresh')
        await stores.offsets.commit(groupId, [offset('orders', 0)], {
          kind: 'empty-group',
          at: NOW,
        })
        expect(await stores.offsets.list(groupId)).toEqual([offset('orders', 0)])
        const { group, members } = await stores.groups.load(groupId)
        expect(members).toEqual([])
        expect(group).toMatchObject({ groupId, version: 1, memberCount: 0, createdAt: NOW })
      })

      it('moves the version of an empty group and keeps the rest of it', async () => {
        const groupId = uniqueId('empty')
        const record = await createGroup(stores.groups, groupId, [], { version: 7 })
        await stores.offsets.commit(groupId, [offset('orders', 0)], {
          kind: 'empty-group',
          at: NOW + 1,
        })
        expect((await stores.groups.load(groupId)).group).toEqual({ ...record, version: 8 })
        expect(await stores.offsets.list(groupId)).toEqual([offset('orders', 0)])
      })

      it('refuses a group with members, writing nothing and leaving the group as it was', async () => {
        const groupId = await groupWithMember()
        const before = await stores.groups.load(groupId)
        await expect(
          stores.offsets.commit(groupId, [offset('orders', 0)], { kind: 'empty-group', at: NOW }),
        ).rejects.toBeInstanceOf(FenceRejectedError)
        expect(await stores.offsets.list(groupId)).toEqual([])
        expect(await stores.groups.load(groupId)).toEqual(before)
      })

      it('commits nothing, and creates no group, for no offsets', async () => {
        const groupId = uniqueId('nothing')
        await stores.offsets.commit(groupId, [], { kind: 'empty-group', at: NOW })
        expect(await stores.groups.load(groupId)).toEqual({ members: [] })
      })
    })

    describe('deleteGroup', () => {
      async function emptyGroupWithOffsets(count: number): Promise<string> {
        const groupId = uniqueId('delete')
        const offsets = Array.from({ length: count }, (_, p) => offset('orders', p))
        await stores.offsets.commit(groupId, offsets, { kind: 'empty-group', at: NOW })
        return groupId
      }

      async function deletion(groupId: string) {
        const { group } = await stores.groups.load(groupId)
        const offsets = await stores.offsets.list(groupId)
        return { version: group?.version ?? -1, partitions: offsets.map(partitionKeyOf) }
      }

      it('deletes the group and its offsets, and nothing of other groups', async () => {
        const [doomed, kept] = [await emptyGroupWithOffsets(3), await emptyGroupWithOffsets(2)]
        await stores.offsets.deleteGroup(doomed, await deletion(doomed))
        expect(await stores.groups.load(doomed)).toEqual({ members: [] })
        expect(await stores.offsets.list(doomed)).toEqual([])
        expect(await stores.offsets.list(kept)).toHaveLength(2)
        expect((await stores.groups.load(kept)).group).toBeDefined()
      })

      it('deletes a group without offsets', async () => {
        const groupId = uniqueId('bare')
        await createGroup(stores.groups, groupId, [])
        await stores.offsets.deleteGroup(groupId, await deletion(groupId))
        expect(await stores.groups.load(groupId)).toEqual({ members: [] })
      })

      it('deletes hundreds of offsets with their group', async () => {
        const groupId = await emptyGroupWithOffsets(230)
        await stores.offsets.deleteGroup(groupId, await deletion(groupId))
        expect(await stores.offsets.list(groupId)).toEqual([])
        expect(await stores.groups.load(groupId)).toEqual({ members: [] })
      })

      it('refuses once an offset was committed since the group was read, deleting nothing', async () => {
        const groupId = await emptyGroupWithOffsets(2)
        const read = await deletion(groupId)
        await stores.offsets.commit(groupId, [offset('orders', 7)], {
          kind: 'empty-group',
          at: NOW,
        })
        await expect(stores.offsets.deleteGroup(groupId, read)).rejects.toBeInstanceOf(
          FenceRejectedError,
        )
        expect(await stores.offsets.list(groupId)).toHaveLength(3)
        expect((await stores.groups.load(groupId)).group).toBeDefined()
      })

      it('refuses a group with members, deleting nothing', async () => {
        const groupId = await groupWithMember()
        await stores.offsets.commit(groupId, [offset('orders', 0)], memberFence())
        await expect(
          stores.offsets.deleteGroup(groupId, await deletion(groupId)),
        ).rejects.toBeInstanceOf(FenceRejectedError)
        expect(await stores.offsets.list(groupId)).toHaveLength(1)
        expect((await stores.groups.load(groupId)).members).toHaveLength(1)
      })

      it('refuses a group that does not exist', async () => {
        await expect(
          stores.offsets.deleteGroup(uniqueId('absent'), { version: 1, partitions: [] }),
        ).rejects.toBeInstanceOf(FenceRejectedError)
      })
    })
  })
}
