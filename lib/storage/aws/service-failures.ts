import { RetriableStorageError, StorageError } from '../../errors.ts'

/** The fields every AWS SDK v3 service exception carries. */
interface ServiceFailure extends Error {
  readonly $fault: 'client' | 'server'
  readonly $retryable?: { readonly throttling?: boolean }
}

function isServiceFailure(error: unknown): error is ServiceFailure {
  return error instanceof Error && '$fault' in error && '$metadata' in error
}

/**
 * Client faults that only mean "not now": DynamoDB or S3 throttled the
 * request (the SDK gives up on these after its own retries, without marking
 * them retryable), or a write met a transaction in flight on its item.
 */
const NOT_NOW = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'TransactionConflictException',
])

/**
 * A failure as the ports speak of it. An answer of S3 or DynamoDB refusing
 * the request becomes a storage error: retriable when the service was
 * throttled or failing and may well serve the request later, StorageError
 * for anything else (a missing table, denied access). The service's error
 * stays as the cause, for the logs; clients see only its name. Anything else
 * is returned as it is.
 */
export function asStorageFailure(error: unknown): unknown {
  if (!isServiceFailure(error)) return error
  return error.$fault === 'server' || error.$retryable || NOT_NOW.has(error.name)
    ? new RetriableStorageError(`Storage is unavailable (${error.name}); retry the request.`, {
        cause: error,
      })
    : new StorageError(`Storage request failed (${error.name}).`, { cause: error })
}

/**
 * Whether the service refused a request outright, so it certainly changed
 * nothing: a client fault other than "a transaction with this token is
 * still running". Server faults, timeouts and lost connections leave the
 * outcome unknown.
 */
export function isDefiniteRefusal(error: unknown): boolean {
  return (
    isServiceFailure(error) &&
    error.$fault === 'client' &&
    error.name !== 'TransactionInProgressException'
  )
}
