import { beforeAll, describe, expect, it } from 'vitest'
import { ConsumerInstanceExistsError } from '../../lib/groups/errors.ts'
import {
  InstanceConflictError,
  type InstanceRecord,
  type InstanceStore,
} from '../../lib/storage/ports/consumer-instances.ts'
import { NOW, uniqueId } from './group-fixtures.ts'

function instanceRecord(changes: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    groupId: uniqueId('group'),
    instanceId: uniqueId('instance'),
    memberId: uniqueId('member'),
    format: 'json',
    autoOffsetReset: 'earliest',
    autoCommit: true,
    sessionTimeoutMs: 10_000,
    assignor: 'range',
    mode: {
      kind: 'subscribed',
      subscription: { kind: 'pattern', pattern: 'orders-.*' },
      memberEpoch: 4,
    },
    partitions: ['orders-eu/0', 'orders-us/2'],
    positions: { 'orders-eu/0': { offset: 17, topicId: 'eu-id' } },
    lastAutoCommitAt: NOW,
    idleDeadline: NOW + 300_000,
    version: 0,
    createdAt: NOW,
    ...changes,
  }
}

/** The consumer instance store's contract: every engine must pass it. */
export function describeInstanceStoreContract(
  engine: string,
  open: () => Promise<InstanceStore>,
): void {
  describe(`InstanceStore on ${engine}`, () => {
    let store: InstanceStore
    beforeAll(async () => {
      store = await open()
    })

    it('finds no instance that was never created', async () => {
      expect(await store.get({ groupId: uniqueId('g'), instanceId: 'i' })).toBeUndefined()
    })

    it('reads back what it created', async () => {
      const instance = instanceRecord()
      await store.create(instance)
      expect(await store.get(instance)).toEqual(instance)
    })

    it('keeps instances of the same name in different groups apart', async () => {
      const first = instanceRecord({ instanceId: 'same', mode: { kind: 'idle' } })
      const second = instanceRecord({ instanceId: 'same', mode: { kind: 'assigned' } })
      await store.create(first)
      await store.create(second)
      expect(await store.get(first)).toEqual(first)
      expect(await store.get(second)).toEqual(second)
    })

    it('refuses to create over a live instance, up to its last idle millisecond', async () => {
      const live = instanceRecord()
      await store.create(live)
      const again = { ...live, memberId: 'another', createdAt: live.idleDeadline }
      await expect(store.create(again)).rejects.toBeInstanceOf(ConsumerInstanceExistsError)
      expect(await store.get(live)).toEqual(live)
    })

    it('replaces an instance that went idle before the new one was created', async () => {
      const idle = instanceRecord()
      await store.create(idle)
      const fresh = {
        ...idle,
        memberId: 'another',
        createdAt: idle.idleDeadline + 1,
        idleDeadline: idle.idleDeadline + 300_001,
      }
      await store.create(fresh)
      expect(await store.get(fresh)).toEqual(fresh)
    })

    it('saves at the version read, returning the instance at the next version', async () => {
      const instance = instanceRecord()
      await store.create(instance)
      const changed = { ...instance, positions: {}, partitions: [] }
      const saved = await store.save(changed)
      expect(saved).toEqual({ ...changed, version: 1 })
      expect(await store.get(instance)).toEqual(saved)
      expect(await store.save({ ...saved, autoCommit: false })).toMatchObject({ version: 2 })
    })

    it('refuses a save at a version the instance has left, writing nothing', async () => {
      const instance = instanceRecord()
      await store.create(instance)
      const saved = await store.save(instance)
      await expect(store.save({ ...instance, partitions: [] })).rejects.toBeInstanceOf(
        InstanceConflictError,
      )
      expect(await store.get(instance)).toEqual(saved)
    })

    it('refuses to save an instance that is not there', async () => {
      const instance = instanceRecord()
      await expect(store.save(instance)).rejects.toBeInstanceOf(InstanceConflictError)
      expect(await store.get(instance)).toBeUndefined()
    })

    it('deletes at the version read', async () => {
      const instance = instanceRecord()
      await store.create(instance)
      await store.delete(instance)
      expect(await store.get(instance)).toBeUndefined()
    })

    it('refuses a delete at a version the instance has left, or of one not there', async () => {
      const instance = instanceRecord()
      await store.create(instance)
      const saved = await store.save(instance)
      await expect(store.delete(instance)).rejects.toBeInstanceOf(InstanceConflictError)
      expect(await store.get(instance)).toEqual(saved)
      await expect(store.delete(instanceRecord())).rejects.toBeInstanceOf(InstanceConflictError)
    })

    it('names the instances idle since before now, not one whose last millisecond is now', async () => {
      const [idle, lastMoment, live] = [NOW - 1, NOW, NOW + 1].map((idleDeadline) =>
        instanceRecord({ idleDeadline, createdAt: NOW - 300_000 }),
      ) as [InstanceRecord, InstanceRecord, InstanceRecord]
      for (const instance of [idle, lastMoment, live]) await store.create(instance)
      const ours = new Set([idle, lastMoment, live].map((instance) => instance.instanceId))
      const named = (await store.idle(NOW)).filter((id) => ours.has(id.instanceId))
      expect(named).toEqual([{ groupId: idle.groupId, instanceId: idle.instanceId }])
    })

    it('hands out copies: changing what was read or saved changes nothing stored', async () => {
      const instance = instanceRecord()
      await store.create(instance)
      ;(instance.partitions as string[]).push('orders-eu/9')
      const read = await store.get(instance)
      if (!read) throw new Error('The instance was not stored')
      ;(read.partitions as string[]).push('orders-eu/8')
      expect((await store.get(instance))?.partitions).toEqual(['orders-eu/0', 'orders-us/2'])
    })
  })
}
