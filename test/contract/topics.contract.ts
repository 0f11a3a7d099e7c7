import { randomUUID } from 'node:crypto'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { InvalidPartitionsError, TopicExistsError, TopicNotFoundError } from '../../lib/errors.ts'
import type { TopicItem, TopicStore } from '../../lib/storage/ports/topics.ts'

/** The TopicStore port's contract, run against every engine. */
export function describeTopicStoreContract(engine: string, open: () => Promise<TopicStore>) {
  describe(`TopicStore on ${engine}`, () => {
    let store: TopicStore
    /** Every test names its topics under its own prefix, so one store serves them all. */
    let prefix: string

    const topic = (name: string, fields: Partial<TopicItem> = {}): TopicItem => ({
      name: `${prefix}${name}`,
      topicId: randomUUID(),
      partitionsCount: 3,
      configs: { 'cleanup.policy': 'compact' },
      createdAt: 1_700_000_000_000,
      ...fields,
    })

    beforeAll(async () => {
      store = await open()
    })
    beforeEach(() => {
      prefix = `c${randomUUID().slice(0, 8)}-`
    })

    it('creates a topic and gets it back as created; an unknown name has none', async () => {
      const orders = topic('orders')
      await store.create(orders)
      expect(await store.get(orders.name)).toEqual(orders)
      expect(await store.get(`${prefix}unknown`)).toBeUndefined()
    })

    it('refuses to create a topic whose name is taken, whatever its id', async () => {
      const orders = topic('orders')
      await store.create(orders)
      await expect(store.create(topic('orders'))).rejects.toBeInstanceOf(TopicExistsError)
      expect(await store.get(orders.name)).toEqual(orders)
    })

    it('lists every topic by name', async () => {
      const topics = [topic('b'), topic('c'), topic('a')]
      for (const item of topics) await store.create(item)
      const mine = (await store.list()).filter((item) => item.name.startsWith(prefix))
      expect(mine).toEqual([topics[2], topics[0], topics[1]])
    })

    it('deletes a topic only while it is the one read', async () => {
      const first = topic('orders')
      await store.create(first)
      await store.delete(first)
      expect(await store.get(first.name)).toBeUndefined()
      await expect(store.delete(first)).rejects.toBeInstanceOf(TopicNotFoundError)

      const second = topic('orders')
      await store.create(second)
      await expect(store.delete(first)).rejects.toBeInstanceOf(TopicNotFoundError)
      expect(await store.get(second.name)).toEqual(second)
    })

    it('raises the partition count, and only raises it', async () => {
      const orders = topic('orders')
      await store.create(orders)
      await store.increasePartitions(orders, 5)
      expect(await store.get(orders.name)).toEqual({ ...orders, partitionsCount: 5 })

      for (const count of [5, 4]) {
        const error = await store.increasePartitions(orders, count).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(InvalidPartitionsError)
        expect((error as Error).message).toBe(
          `Topic '${orders.name}' already has 5 partitions; the count can only grow.`,
        )
      }
      expect((await store.get(orders.name))?.partitionsCount).toBe(5)
    })

    it('raises no partition count of a topic deleted or re-created', async () => {
      const first = topic('orders')
      await expect(store.increasePartitions(first, 5)).rejects.toBeInstanceOf(TopicNotFoundError)
      await store.create(first)
      await store.delete(first)
      const second = topic('orders')
      await store.create(second)
      await expect(store.increasePartitions(first, 5)).rejects.toBeInstanceOf(TopicNotFoundError)
      expect(await store.get(second.name)).toEqual(second)
    })

    it('sets and removes configs, keeping the others', async () => {
      const orders = topic('orders', {
        configs: { 'cleanup.policy': 'compact', 'retention.ms': '1' },
      })
      await store.create(orders)
      await store.alterConfigs(orders, {
        set: { 'retention.ms': '2', 'segment.bytes': '1048576' },
        remove: ['cleanup.policy', 'max.message.bytes'],
      })
      expect((await store.get(orders.name))?.configs).toEqual({
        'retention.ms': '2',
        'segment.bytes': '1048576',
      })
      await store.alterConfigs(orders, { set: {}, remove: ['retention.ms'] })
      expect((await store.get(orders.name))?.configs).toEqual({ 'segment.bytes': '1048576' })
    })

    it('alters no configs of a topic deleted or re-created; no changes at all is a no-op', async () => {
      const first = topic('orders')
      const change = { set: { 'retention.ms': '2' }, remove: [] }
      await expect(store.alterConfigs(first, change)).rejects.toBeInstanceOf(TopicNotFoundError)
      await store.alterConfigs(first, { set: {}, remove: [] })
      await store.create(first)
      await store.delete(first)
      const second = topic('orders')
      await store.create(second)
      await expect(store.alterConfigs(first, change)).rejects.toBeInstanceOf(TopicNotFoundError)
      expect(await store.get(second.name)).toEqual(second)
    })

    it('keeps topics apart from the objects callers hold', async () => {
      const configs: Record<string, string> = { 'retention.ms': '1' }
      const orders = topic('orders', { configs })
      await store.create(orders)
      configs['retention.ms'] = '2'
      const read = await store.get(orders.name)
      ;(read?.configs as Record<string, string>)['retention.ms'] = '3'
      const [listed] = (await store.list()).filter((item) => item.name === orders.name)
      ;(listed?.configs as Record<string, string>)['retention.ms'] = '4'
      expect((await store.get(orders.name))?.configs).toEqual({ 'retention.ms': '1' })
    })
  })
}
