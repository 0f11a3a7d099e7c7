import { hintFor } from './error-hints.ts'

/** Everything the client throws is one of these. */
export abstract class SluiceClientError extends Error {}

/** Confluent codes that mean "not now": the same request may succeed when sent again. */
const RETRIABLE_CODES = new Set([429, 50003])

/** Gateway answers (Lambda throttled, timed out or failed to start): the function may succeed next time. */
const RETRIABLE_STATUSES = new Set([429, 502, 503, 504])

/**
 * Sluice answered with an error. `errorCode` is the Confluent code of its JSON
 * body (`{"error_code", "message"}`), or the HTTP status when something in front
 * of Sluice answered without one.
 */
export class SluiceRequestError extends SluiceClientError {
  override name = 'SluiceRequestError'
  /** What to do about it, where the message alone leaves a user guessing. */
  readonly hint: string | undefined

  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message)
    this.hint = hintFor(errorCode, message)
  }

  /** Whether sending the same request again may succeed. */
  get retriable(): boolean {
    return RETRIABLE_CODES.has(this.errorCode) || RETRIABLE_STATUSES.has(this.status)
  }
}

/** The request got no answer: the server could not be reached, or the connection broke or timed out. */
export class SluiceNetworkError extends SluiceClientError {
  override name = 'SluiceNetworkError'
  readonly retriable = true
}

/** A 2xx answer that does not hold what the API promises. */
export class UnexpectedResponseError extends SluiceClientError {
  override name = 'UnexpectedResponseError'
}

/** A method called in a state that does not allow it, such as `send` after `disconnect`. */
export class ClientStateError extends SluiceClientError {
  override name = 'ClientStateError'
}

/** An argument refused before anything is sent: a message's bad partition or timestamp, one too large to send, an offset below 1. */
export class InvalidArgumentError extends SluiceClientError {
  override name = 'InvalidArgumentError'
}

/** Whether an error is worth retrying after a backoff. */
export function isRetriable(error: unknown): boolean {
  return (
    (error instanceof SluiceRequestError || error instanceof SluiceNetworkError) && error.retriable
  )
}
