import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import { createApp } from '../../../lib/http/app.ts'
import { createServices, type Services } from '../../../lib/runtime/services.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'

/** The cluster path every v3 test uses; the app is built with cluster id `local`. */
export const C = '/v3/clusters/local'

export const DEFAULT_MAX_REQUEST_BYTES = 6 * 1024 * 1024

/** A parsed JSON response body; tests check it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted on, not typed
export type Json = any

export interface Response {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  readonly body: Json
}

/** The services on fresh test storage, and the app serving them in process. */
export interface Harness extends Services {
  readonly storage: TestStorage
  readonly app: ReturnType<typeof createApp>
  /** Sends a request to the app in process and reads the whole response. */
  request(path: string, init?: RequestInit): Promise<Response>
  get(path: string): Promise<Response>
  /** Sends `body` as JSON (or as the raw string given) with the content type given. */
  send(method: string, path: string, body?: unknown, contentType?: string): Promise<Response>
}

export async function createHarness({
  maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES,
} = {}): Promise<Harness> {
  const storage = await createTestStorage()
  const services = createServices(awsStorage(storage.clients, storage.names))
  const app = createApp({ ...services, clusterId: 'local', maxRequestBytes })
  const request = async (path: string, init?: RequestInit): Promise<Response> => {
    const response = await app.request(path, init)
    return readResponse(response)
  }
  return {
    ...services,
    storage,
    app,
    request,
    get: (path) => request(path),
    send: (method, path, body, contentType = 'application/json') =>
      request(path, {
        method,
        headers: { 'content-type': contentType },
        ...(body !== undefined && {
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      }),
  }
}

export async function readResponse(response: globalThis.Response): Promise<Response> {
  const text = await response.text()
  let body: unknown
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: response.status, headers: response.headers, text, body }
}

/** A topic name no other test uses. */
export function uniqueTopic(prefix = 'topic'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}

export async function createTopic(
  h: Harness,
  name: string,
  partitionsCount = 1,
  configs: Record<string, string> = {},
): Promise<void> {
  const response = await h.send('POST', `${C}/topics`, {
    topic_name: name,
    partitions_count: partitionsCount,
    configs: Object.entries(configs).map(([config, value]) => ({ name: config, value })),
  })
  expect(response.status, response.text).toBe(201)
}

export async function topicNames(h: Harness): Promise<string[]> {
  const response = await h.get(`${C}/topics`)
  expect(response.status).toBe(200)
  return response.body.data.map((topic: { topic_name: string }) => topic.topic_name)
}

export interface Offsets {
  readonly earliest: number
  readonly latest: number
}

export async function partitionOffsets(h: Harness, topic: string, partition = 0): Promise<Offsets> {
  const response = await h.get(`${C}/topics/${topic}/partitions/${partition}/offset`)
  expect(response.status, response.text).toBe(200)
  return { earliest: response.body.earliest_offset, latest: response.body.latest_offset }
}

/** The offsets of every partition, to compare before and after a refused request. */
export async function allOffsets(h: Harness, topic: string): Promise<Offsets[]> {
  const response = await h.get(`${C}/topics/${topic}`)
  expect(response.status).toBe(200)
  const offsets: Offsets[] = []
  for (let p = 0; p < response.body.partitions_count; p++) {
    offsets.push(await partitionOffsets(h, topic, p))
  }
  return offsets
}

/** The records of a partition from `offset` on. */
export async function readRecords(
  h: Harness,
  topic: string,
  partition = 0,
  query = 'offset=0',
): Promise<Json[]> {
  const response = await h.get(`${C}/topics/${topic}/partitions/${partition}/records?${query}`)
  expect(response.status, response.text).toBe(200)
  return response.body.data
}

/** An error response: its status, and a body of exactly `{error_code, message}`. */
export function expectError(
  response: Response,
  status: number,
  errorCode: number,
  message?: RegExp,
): void {
  expect(response.status, response.text).toBe(status)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  expect(Object.keys(response.body).sort()).toEqual(['error_code', 'message'])
  expect(response.body.error_code).toBe(errorCode)
  expect(typeof response.body.message).toBe('string')
  expect(response.body.message.length).toBeGreaterThan(0)
  expect(response.body.message).not.toMatch(/\.\.$/)
  if (message) expect(response.body.message).toMatch(message)
}

export function base64(text: string | Uint8Array): string {
  return Buffer.from(text).toString('base64')
}

/** A body that arrives in the chunks given, with `Transfer-Encoding: chunked`. */
export function chunkedInit(chunks: readonly string[], contentType = 'application/json') {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      controller.close()
    },
  })
  return {
    method: 'POST',
    headers: { 'content-type': contentType, 'transfer-encoding': 'chunked' },
    body,
    duplex: 'half',
  } as RequestInit
}
