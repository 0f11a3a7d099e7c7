import { DeleteBucketCommand } from '@aws-sdk/client-s3'
import { afterEach, beforeAll, expect, it, vi } from 'vitest'
import {
  allOffsets,
  C,
  chunkedInit,
  createHarness,
  createTopic,
  expectError,
  type Harness,
  readResponse,
  uniqueTopic,
} from './support.ts'

/**
 * A real storage failure: the bucket is removed from the engine, so every
 * produce fails at its S3 PUT. Clients must get the storage error code without
 * the service's own message, and nothing may be committed.
 */
let h: Harness
let topic: string

beforeAll(async () => {
  h = await createHarness()
  topic = uniqueTopic()
  await createTopic(h, topic)
  await h.storage.clients.s3.send(new DeleteBucketCommand({ Bucket: h.storage.names.bucket }))
})

afterEach(() => {
  vi.restoreAllMocks()
})

const record = JSON.stringify({ value: { type: 'STRING', data: 'x' } })

it('answers a failed produce with the storage error code and logs the cause', async () => {
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
  const response = await h.send('POST', `${C}/topics/${topic}/records`, record)
  expectError(response, 500, 50002, /^Storage request failed \(NoSuchBucket\)\.$/)
  expect(logged).toHaveBeenCalledWith(expect.stringMatching(/Storage request failed/))
  expect(await allOffsets(h, topic)).toEqual([{ earliest: 0, latest: 0 }])
})

it('ends a streaming produce that fails with a storage error report', async () => {
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
  const response = await readResponse(
    await h.app.request(`${C}/topics/${topic}/records`, chunkedInit([record])),
  )
  expect(response.status).toBe(200)
  expect(response.body).toEqual({
    error_code: 50002,
    message: 'Storage request failed (NoSuchBucket).',
  })
  expect(logged).toHaveBeenCalledWith(expect.stringMatching(/Storage request failed/))
  expect(await allOffsets(h, topic)).toEqual([{ earliest: 0, latest: 0 }])
})
