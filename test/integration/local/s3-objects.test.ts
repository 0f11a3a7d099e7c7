import { Readable } from 'node:stream'
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { beforeAll, expect, it } from 'vitest'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'

let storage: TestStorage

beforeAll(async () => {
  storage = await createTestStorage()
})

it('returns exactly the requested bytes of a ranged GET', async () => {
  const { names, clients } = storage
  const body = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256)
  await clients.s3.send(new PutObjectCommand({ Bucket: names.bucket, Key: 'ingest/a', Body: body }))

  const ranged = await clients.s3.send(
    new GetObjectCommand({ Bucket: names.bucket, Key: 'ingest/a', Range: 'bytes=100-199' }),
  )

  expect(await ranged.Body?.transformToByteArray()).toEqual(body.subarray(100, 200))
  expect(ranged.ContentRange).toBe('bytes 100-199/1000')
})

it('stores a streamed body as it was sent', async () => {
  const { names, clients } = storage
  const body = Buffer.from('a streamed ingest object')
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: names.bucket,
      Key: 'ingest/b',
      Body: Readable.from([body]),
      ContentLength: body.length,
    }),
  )

  const stored = await clients.s3.send(
    new GetObjectCommand({ Bucket: names.bucket, Key: 'ingest/b' }),
  )

  expect(Buffer.from((await stored.Body?.transformToByteArray()) ?? [])).toEqual(body)
})
