import {
  DynamoDBClient,
  InternalServerError,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb'
import { NoSuchBucket, S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import {
  CommitOutcomeUnknownError,
  RetriableStorageError,
  StorageError,
} from '../../../lib/errors.ts'
import type { AwsClients } from '../../../lib/storage/aws/clients.ts'
import { behindFailureBoundary } from '../../../lib/storage/aws/failure-boundary.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { MemoryObjectStore } from '../../../lib/storage/memory/objects.ts'
import { memoryStorage } from '../../../lib/storage/memory/storage-engine.ts'
import type { SegmentEntry } from '../../../lib/storage/ports/log.ts'
import { type ListedObject, ObjectNotFoundError } from '../../../lib/storage/ports/objects.ts'
import type { StorageEngine } from '../../../lib/storage/ports/storage-engine.ts'
import { storageNamesForPrefix } from '../../../lib/storage/tables.ts'

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const drained: T[] = []
  for await (const item of items) drained.push(item)
  return drained
}

/**
 * Clients whose every command fails before it leaves the process, as the
 * service would have answered it: the real SDK, and no engine behind it.
 */
function failingClients(dynamodbFailure: () => Error, s3Failure: () => Error): AwsClients {
  const options = {
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  }
  const dynamodb = new DynamoDBClient(options)
  const s3 = new S3Client({ ...options, forcePathStyle: true })
  dynamodb.middlewareStack.add(
    () => async () => {
      throw dynamodbFailure()
    },
    { step: 'initialize', priority: 'high' },
  )
  s3.middlewareStack.add(
    () => async () => {
      throw s3Failure()
    },
    { step: 'initialize', priority: 'high' },
  )
  return { dynamodb, s3 }
}

const entry: SegmentEntry = {
  baseOffset: 0,
  lastOffset: 0,
  recordCount: 1,
  objectKey: 'topics/t/ingest/0',
  byteOffset: 0,
  byteLength: 70,
  minTimestamp: 0,
  maxTimestamp: 0,
  formats: '',
  createdAt: 0,
}

const lease = { partitionKey: 't/0', holder: 'me', epoch: 1 }

/** One call of each store: a new store fails the type check until it is called here. */
const callOfEach: Record<keyof StorageEngine, (engine: StorageEngine) => Promise<unknown>> = {
  objects: (engine) => engine.objects.put('k', new Uint8Array(1)),
  topics: (engine) => engine.topics.get('t'),
  heads: (engine) => engine.heads.readOne('t', 0),
  segments: (engine) => drain(engine.segments.scan('t', 0)),
  committer: (engine) => engine.committer.commitRun('t', 0, [entry], 0),
  producers: (engine) => engine.producers.initProducer(),
  groups: (engine) => drain(engine.groups.groups()),
  offsets: (engine) => engine.offsets.list('g'),
  consumerInstances: (engine) => engine.consumerInstances.idle(0),
  leases: (engine) => engine.leases.states(),
  rewriter: (engine) => engine.rewriter.advanceLogStart(lease, 't', 0, 0),
  inventory: (engine) => drain(engine.inventory.partitionKeys()),
  schemas: (engine) => engine.schemas.schema(1),
  subjects: (engine) => engine.subjects.list(),
  apiKeys: (engine) => engine.apiKeys.list(),
}

describe('the AWS engine', () => {
  const $metadata = { httpStatusCode: 400 }
  const missingTable = () => new ResourceNotFoundException({ message: 'no table', $metadata })
  const missingBucket = () => new NoSuchBucket({ message: 'no bucket', $metadata })

  it.each(Object.entries(callOfEach))(
    "fails in the ports' terms when the service refuses: %s",
    async (store, call) => {
      const engine = awsStorage(
        failingClients(missingTable, missingBucket),
        storageNamesForPrefix('x'),
      )
      const error = await call(engine).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StorageError)
      expect((error as StorageError).cause).toBeInstanceOf(
        store === 'objects' ? NoSuchBucket : ResourceNotFoundException,
      )
    },
  )

  it('lets a commit whose outcome is unknown say so', async () => {
    const failing = () => new InternalServerError({ message: 'failing', $metadata: {} })
    const engine = awsStorage(failingClients(failing, failing), storageNamesForPrefix('x'))
    await expect(callOfEach.committer(engine)).rejects.toBeInstanceOf(CommitOutcomeUnknownError)
    await expect(callOfEach.topics(engine)).rejects.toBeInstanceOf(RetriableStorageError)
  })
})

/** Lists its objects, then fails as S3 would: the boundary must not wait for a listing to end. */
class ThrottledListing extends MemoryObjectStore {
  override async *list(prefix: string): AsyncGenerator<ListedObject> {
    yield* super.list(prefix)
    throw Object.assign(new Error('Please reduce your request rate.'), {
      name: 'SlowDown',
      $fault: 'client',
      $metadata: {},
      $retryable: { throttling: true },
    })
  }
}

describe('the failure boundary', () => {
  it('leaves the stores working and their own errors as they are', async () => {
    const engine = behindFailureBoundary(memoryStorage())
    await engine.objects.put('k', new Uint8Array([1, 2, 3]))
    expect(await engine.objects.getRange('k', 1, 2)).toEqual(new Uint8Array([2, 3]))
    await expect(engine.objects.getRange('gone', 0, 1)).rejects.toBeInstanceOf(ObjectNotFoundError)
  })

  it('translates a failure met while iterating, after the items that came before it', async () => {
    const objects = new ThrottledListing()
    await objects.put('a', new Uint8Array(1))
    const engine = behindFailureBoundary({ ...memoryStorage(), objects })
    const seen: string[] = []
    const error = await (async () => {
      for await (const object of engine.objects.list('')) seen.push(object.key)
    })().catch((e: unknown) => e)
    expect(seen).toEqual(['a'])
    expect(error).toBeInstanceOf(RetriableStorageError)
  })

  it('ends the store iteration when its caller stops early', async () => {
    let finished = false
    const objects = new (class extends MemoryObjectStore {
      override async *list(prefix: string): AsyncGenerator<ListedObject> {
        try {
          yield* super.list(prefix)
        } finally {
          finished = true
        }
      }
    })()
    await objects.put('a', new Uint8Array(1))
    await objects.put('b', new Uint8Array(1))
    const engine = behindFailureBoundary({ ...memoryStorage(), objects })
    for await (const _ of engine.objects.list('')) break
    expect(finished).toBe(true)
  })
})
