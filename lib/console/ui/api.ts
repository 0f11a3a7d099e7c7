/** The console's only way to the server: the public HTTP API, as any client uses it. */

/** An answer other than success, carrying the API's own message and Confluent error code. */
export class ApiError extends Error {
  override readonly name = 'ApiError'

  constructor(
    readonly status: number,
    readonly errorCode: number | undefined,
    message: string,
  ) {
    super(message)
  }
}

const KEY_ITEM = 'sluice.apiKey'

/** The API key signed in with, kept for this tab only (sessionStorage), sent as a bearer token. */
export const apiKey = {
  get: (): string | null => sessionStorage.getItem(KEY_ITEM),
  set: (key: string) => sessionStorage.setItem(KEY_ITEM, key),
  clear: () => sessionStorage.removeItem(KEY_ITEM),
}

const signInListeners = new Set<(error: ApiError) => void>()

/** Calls `listener` whenever the API refuses a request for want of a valid key. */
export function onSignInRequired(listener: (error: ApiError) => void): () => void {
  signInListeners.add(listener)
  return () => signInListeners.delete(listener)
}

/** The API's base: the page's own path without its `/console`, so a proxy's prefix is kept. */
const BASE = location.pathname.replace(/\/console\/?$/, '')

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text)
  } catch {
    return undefined
  }
}

function errorFields(body: unknown): { code?: number; message?: string } {
  if (typeof body !== 'object' || body === null) return {}
  const { error_code: code, message } = body as Record<string, unknown>
  return {
    ...(typeof code === 'number' && { code }),
    ...(typeof message === 'string' && { message }),
  }
}

export interface RequestOptions {
  readonly body?: unknown
  readonly signal?: AbortSignal
}

/** Sends one request; resolves with the parsed JSON answer, rejects with an ApiError. */
export async function api<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  const key = apiKey.get()
  if (key) headers.authorization = `Bearer ${key}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      ...(options.signal && { signal: options.signal }),
    })
  } catch (error) {
    if (options.signal?.aborted) throw error
    throw new ApiError(0, undefined, `The API could not be reached (${String(error)}).`)
  }
  const text = await response.text()
  const body = parseJson(text)
  if (!response.ok) {
    const { code, message } = errorFields(body)
    const error = new ApiError(
      response.status,
      code,
      message ?? (text.trim() || `${response.status} ${response.statusText}`),
    )
    if (response.status === 401) for (const listener of signInListeners) listener(error)
    throw error
  }
  return body as T
}

/** A path segment, escaped (topic and group names may hold characters a path may not). */
export const seg = (text: string | number) => encodeURIComponent(String(text))
