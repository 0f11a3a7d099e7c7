import { describe, expect, it } from 'vitest'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { ApiKeyIdTakenError } from '../../../lib/storage/ports/api-keys.ts'
import { describeApiKeyStoreContract } from '../../contract/api-keys.contract.ts'
import { testClients } from '../../support/clients.ts'
import { loseResponse } from '../../support/faults.ts'
import { createTestStorage } from '../../support/storage.ts'

describeApiKeyStoreContract('DynamoDB', async () => {
  const { clients, names } = await createTestStorage()
  return awsStorage(clients, names).apiKeys
})

describe('API key writes whose answer was lost, retried by the SDK', () => {
  it('create and delete the key once, and say they did', async () => {
    const { names } = await createTestStorage()
    const clients = testClients()
    const lossy = awsStorage(clients, names).apiKeys
    const store = awsStorage(testClients(), names).apiKeys
    const record = {
      keyId: 'lost-answers',
      secretHash: 'ab'.repeat(32),
      name: 'lost',
      createdAt: 1,
    }
    const lostPut = loseResponse(clients.dynamodb, 'PutItemCommand', { times: 1 })
    await lossy.create(record)
    lostPut.remove()
    expect(lostPut.hits).toBe(1)
    expect(await store.get(record.keyId)).toEqual(record)
    // A different key under the taken id is still refused.
    await expect(lossy.create({ ...record, name: 'other' })).rejects.toBeInstanceOf(
      ApiKeyIdTakenError,
    )

    const lostDelete = loseResponse(clients.dynamodb, 'DeleteItemCommand', { times: 1 })
    expect(await lossy.delete(record.keyId)).toBe(true)
    lostDelete.remove()
    expect(lostDelete.hits).toBe(1)
    expect(await store.get(record.keyId)).toBeUndefined()
    expect(await lossy.delete(record.keyId)).toBe(false)
  })
})
