import { RetriableStorageError, StorageError } from '../errors.ts'

/** The fields every AWS SDK v3 service exception carries. */
interface AwsServiceFailure {
  readonly name: string
  readonly $fault: 'client' | 'server'
  readonly $retryable?: { readonly throttling?: boolean }
}

function isAwsServiceFailure(error: unknown): error is AwsServiceFailure {
  return error instanceof Error && '$fault' in error && '$metadata' in error
}

/** Client faults that only mean "not now": a write met a transaction in flight on its item. */
const RETRIABLE = new Set(['TransactionConflictException'])

/**
 * Names what went wrong in S3 or DynamoDB in the Confluent terms a client acts
 * on: a throttled or failing service is worth retrying (50003); anything else
 * (a missing table, denied access) is a storage error (50002). The service's
 * own message stays in the logs.
 */
export function storageErrorFor(error: unknown): StorageError | RetriableStorageError | undefined {
  if (!isAwsServiceFailure(error)) return undefined
  return error.$fault === 'server' || error.$retryable || RETRIABLE.has(error.name)
    ? new RetriableStorageError(`Storage is unavailable (${error.name}); retry the request.`)
    : new StorageError(`Storage request failed (${error.name}).`)
}

/**
 * Whether the service refused a request outright, so it certainly changed
 * nothing: a client fault other than "a transaction with this token is
 * still running". Server faults, timeouts and lost connections leave the
 * outcome unknown.
 */
export function isDefiniteRefusal(error: unknown): boolean {
  return (
    isAwsServiceFailure(error) &&
    error.$fault === 'client' &&
    error.name !== 'TransactionInProgressException'
  )
}
