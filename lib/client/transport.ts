import { backoff } from '../common/backoff.ts'
import { authenticator, type RequestAuthenticator, type SluiceAuth } from './auth.ts'
import { isRetriable, SluiceNetworkError, SluiceRequestError } from './errors.ts'

/** How often and how patiently a retriable failure is tried again (kafkajs's `retry` settings). */
export interface RetryOptions {
  /** Attempts after the first; 0 turns retrying off. */
  readonly retries: number
  /** The first backoff's ceiling; each later one doubles, with full jitter. */
  readonly initialRetryTimeMs: number
  readonly maxRetryTimeMs: number
}

export const DEFAULT_RETRY: RetryOptions = {
  retries: 5,
  initialRetryTimeMs: 100,
  maxRetryTimeMs: 10_000,
}

export interface TransportOptions {
  /** Where Sluice answers, e.g. `http://127.0.0.1:8082` or a function URL. */
  readonly url: string
  readonly auth?: SluiceAuth
  readonly retry?: Partial<RetryOptions>
  /** One attempt's limit; long polls wait up to 30 s on the server, so keep this above that. */
  readonly requestTimeoutMs?: number
  /** The fetch to send with: the global one unless given (to count or route requests). */
  readonly fetch?: typeof globalThis.fetch
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface Request {
  readonly method: HttpMethod
  /** Path and query, from the base URL's root. */
  readonly path: string
  /** Serialized as JSON; a string is taken to be JSON text already and sent as it is. */
  readonly body?: unknown
  readonly contentType?: string
  readonly accept?: string
  /** Overrides the transport's retry settings for this request. */
  readonly retry?: Partial<RetryOptions>
}

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000

/** Any path segment a user names (topics, groups, subjects) goes through this. */
export function segment(text: string | number): string {
  return encodeURIComponent(String(text))
}

/** Turns an error answer into a SluiceRequestError, keeping Sluice's own code and message. */
function requestError(status: number, text: string): SluiceRequestError {
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown }
    if (typeof body.error_code === 'number' && typeof body.message === 'string') {
      return new SluiceRequestError(status, body.error_code, body.message)
    }
  } catch {
    // Not Sluice's JSON: a gateway or proxy answered.
  }
  const detail = text.trim().slice(0, 200)
  return new SluiceRequestError(status, status, `HTTP ${status}${detail && `: ${detail}`}`)
}

/**
 * Sends JSON requests to one Sluice URL with its authentication, retrying
 * retriable failures (429, 50003, gateway errors, lost connections) with full
 * jitter backoff. Error answers become SluiceRequestError, carrying the
 * Confluent code.
 */
export class Transport {
  readonly baseUrl: URL
  private readonly authenticate: RequestAuthenticator
  private readonly retry: RetryOptions
  private readonly timeoutMs: number
  private readonly fetch: typeof globalThis.fetch

  constructor(options: TransportOptions) {
    this.baseUrl = new URL(options.url)
    this.authenticate = authenticator(options.auth, this.baseUrl)
    this.retry = { ...DEFAULT_RETRY, ...options.retry }
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
    this.fetch = options.fetch ?? globalThis.fetch
  }

  /** Sends the request; resolves to the parsed JSON body (undefined when empty). */
  async json<T>(request: Request): Promise<T> {
    const text = await this.send(request)
    return (text === '' ? undefined : JSON.parse(text)) as T
  }

  /** Sends the request, retrying as configured; resolves to the body text of a 2xx answer. */
  async send(request: Request): Promise<string> {
    const retry = { ...this.retry, ...request.retry }
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(request)
      } catch (error) {
        if (!isRetriable(error) || attempt >= retry.retries) throw error
        await backoff(attempt, { baseMs: retry.initialRetryTimeMs, capMs: retry.maxRetryTimeMs })
      }
    }
  }

  private async attempt(request: Request): Promise<string> {
    const url = new URL(request.path, this.baseUrl)
    const body =
      request.body === undefined || typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body)
    const headers = await this.authenticate({
      method: request.method,
      url,
      headers: {
        ...(body !== undefined && { 'content-type': request.contentType ?? 'application/json' }),
        ...(request.accept !== undefined && { accept: request.accept }),
      },
      ...(body !== undefined && { body }),
    })
    const timeout = AbortSignal.timeout(this.timeoutMs)
    let response: Response
    let text: string
    try {
      response = await this.fetch(url, {
        method: request.method,
        headers,
        ...(body !== undefined && { body }),
        signal: timeout,
      })
      text = await response.text()
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error))
      // Node's fetch says only "fetch failed"; the socket error beneath it says why.
      const underlying = cause.cause instanceof Error ? cause.cause.message : cause.message
      const reason = timeout.aborted ? `no answer within ${this.timeoutMs} ms` : underlying
      throw new SluiceNetworkError(`${request.method} ${url.origin}${url.pathname}: ${reason}`, {
        cause,
      })
    }
    if (!response.ok) throw requestError(response.status, text)
    return text
  }
}
