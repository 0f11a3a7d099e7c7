import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceNotFoundException,
  ThrottlingException,
  TransactionConflictException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb'
import { NoSuchBucket, S3ServiceException } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import {
  CommitOutcomeUnknownError,
  RetriableStorageError,
  StorageError,
  TopicNotFoundError,
} from '../../../lib/errors.ts'
import { asStorageFailure, isDefiniteRefusal } from '../../../lib/storage/aws/service-failures.ts'
import { CommitConflictError } from '../../../lib/storage/ports/log.ts'

const $metadata = { httpStatusCode: 400 }

/** An S3 error the SDK has no class for, as it parses one from the answer. */
function s3Failure(name: string, $fault: 'client' | 'server'): S3ServiceException {
  return new S3ServiceException({ name, $fault, $metadata, message: `${name} from S3` })
}

describe("a failure of DynamoDB or S3, in the ports' terms", () => {
  it.each([
    [
      'DynamoDB throttled',
      new ProvisionedThroughputExceededException({ message: 'slow', $metadata }),
    ],
    ['DynamoDB throttled', new ThrottlingException({ message: 'slow', $metadata })],
    ['DynamoDB over its request limit', new RequestLimitExceeded({ message: 'slow', $metadata })],
    ['DynamoDB failing', new InternalServerError({ message: 'failing', $metadata })],
    ['a transaction in flight', new TransactionConflictException({ message: 'busy', $metadata })],
    ['S3 throttled', s3Failure('SlowDown', 'client')],
    ['S3 failing', s3Failure('InternalError', 'server')],
  ])('%s is worth retrying', (_, failure) => {
    const error = asStorageFailure(failure)
    expect(error).toBeInstanceOf(RetriableStorageError)
    expect(error).toMatchObject({
      message: `Storage is unavailable (${failure.name}); retry the request.`,
      cause: failure,
    })
  })

  it('is worth retrying when the SDK marks it so', () => {
    const failure = Object.assign(s3Failure('RequestTimeTooSkewed', 'client'), {
      $retryable: {},
    })
    expect(asStorageFailure(failure)).toBeInstanceOf(RetriableStorageError)
  })

  it.each([
    ['a missing table', new ResourceNotFoundException({ message: 'no table', $metadata })],
    ['a missing bucket', new NoSuchBucket({ message: 'no bucket', $metadata })],
    ['denied access', s3Failure('AccessDenied', 'client')],
  ])('%s is a storage error', (_, failure) => {
    const error = asStorageFailure(failure)
    expect(error).toBeInstanceOf(StorageError)
    expect(error).not.toBeInstanceOf(RetriableStorageError)
    expect(error).toMatchObject({
      message: `Storage request failed (${failure.name}).`,
      cause: failure,
    })
  })

  it('leaves every other error as it is', () => {
    const others = [
      new CommitOutcomeUnknownError('no answer'),
      new CommitConflictError(['ConditionalCheckFailed'], [0]),
      new TopicNotFoundError('t'),
      Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }),
      'not even an error',
    ]
    for (const other of others) expect(asStorageFailure(other)).toBe(other)
  })
})

describe('a definite refusal', () => {
  it('is a client fault, which changed nothing', () => {
    expect(
      isDefiniteRefusal(new ConditionalCheckFailedException({ message: 'no', $metadata })),
    ).toBe(true)
    expect(isDefiniteRefusal(new ThrottlingException({ message: 'slow', $metadata }))).toBe(true)
  })

  it('is not a transaction still running, a server fault or a lost answer', () => {
    expect(
      isDefiniteRefusal(new TransactionInProgressException({ message: 'running', $metadata })),
    ).toBe(false)
    expect(isDefiniteRefusal(new InternalServerError({ message: 'failing', $metadata }))).toBe(
      false,
    )
    expect(isDefiniteRefusal(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(false)
  })
})
