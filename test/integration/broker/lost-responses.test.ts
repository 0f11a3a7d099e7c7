import { beforeAll, describe, expect, it } from 'vitest'
import { createBroker } from '../../../lib/broker/broker.ts'
import { TopicExistsError, TopicNotFoundError } from '../../../lib/errors.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { testClients } from '../../support/clients.ts'
import { loseResponse } from '../../support/faults.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'

let storage: TestStorage

beforeAll(async () => {
  storage = await createTestStorage()
})

/** A broker on clients of its own, so a fault on them touches nothing else. */
function isolatedBroker() {
  const clients = testClients()
  return { broker: createBroker(awsStorage(clients, storage.names)), dynamodb: clients.dynamodb }
}

describe('topic changes whose answer was lost, retried by the SDK', () => {
  it('creates the topic once and answers with it', async () => {
    const { broker, dynamodb } = isolatedBroker()
    const lost = loseResponse(dynamodb, 'PutItemCommand', { times: 1 })
    const created = await broker.topics.create({ name: 'lost-create', partitionsCount: 2 })
    lost.remove()
    expect(lost.hits).toBe(1)
    expect(await broker.topics.describe('lost-create')).toEqual(created)
  })

  it('still refuses a name another create took', async () => {
    const { broker, dynamodb } = isolatedBroker()
    await broker.topics.create({ name: 'lost-create-taken' })
    const lost = loseResponse(dynamodb, 'PutItemCommand', { times: 1 })
    await expect(broker.topics.create({ name: 'lost-create-taken' })).rejects.toBeInstanceOf(
      TopicExistsError,
    )
    lost.remove()
  })

  it('deletes the topic and answers that it did', async () => {
    const { broker, dynamodb } = isolatedBroker()
    await broker.topics.create({ name: 'lost-delete' })
    const lost = loseResponse(dynamodb, 'DeleteItemCommand', { times: 1 })
    await broker.topics.delete('lost-delete')
    lost.remove()
    expect(lost.hits).toBe(1)
    await expect(broker.topics.describe('lost-delete')).rejects.toBeInstanceOf(TopicNotFoundError)
  })

  it('adds partitions and answers with the new count', async () => {
    const { broker, dynamodb } = isolatedBroker()
    await broker.topics.create({ name: 'lost-partitions' })
    const lost = loseResponse(dynamodb, 'UpdateItemCommand', { times: 1 })
    expect((await broker.topics.increasePartitions('lost-partitions', 3)).partitionsCount).toBe(3)
    lost.remove()
    expect(lost.hits).toBe(1)
  })
})
