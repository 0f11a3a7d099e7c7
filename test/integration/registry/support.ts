import { expect } from 'vitest'
import type { Broker } from '../../../lib/broker/broker.ts'
import { createApp } from '../../../lib/http/app.ts'
import { REGISTRY_CONTENT_TYPE } from '../../../lib/http/registry/registry-http.ts'
import type { SchemaRegistry } from '../../../lib/registry/registry.ts'
import { createServices } from '../../../lib/runtime/services.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { listenOnLoopback } from '../../support/loopback.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'

/** A parsed JSON response body; tests check it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted on, not typed
export type Json = any

export interface Reply {
  readonly status: number
  readonly contentType: string | null
  readonly text: string
  readonly body: Json
}

/** Sluice on a real local HTTP port, over fresh tables and a fresh bucket. */
export interface Server {
  readonly url: string
  readonly storage: TestStorage
  readonly broker: Broker
  readonly registry: SchemaRegistry
  /** Sends a request over HTTP; a body that is not a string is sent as JSON. */
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<Reply>
  close(): Promise<void>
}

export async function startServer(): Promise<Server> {
  const storage = await createTestStorage()
  const services = createServices(awsStorage(storage.clients, storage.names))
  const { broker, registry } = services
  const app = createApp({ ...services, clusterId: 'local', maxRequestBytes: 6 * 1024 * 1024 })
  const { url, close } = await listenOnLoopback(app)
  return {
    url,
    storage,
    broker,
    registry,
    async call(method, path, body, contentType = REGISTRY_CONTENT_TYPE) {
      const response = await fetch(`${url}${path}`, {
        method,
        ...(body !== undefined && {
          headers: { 'content-type': contentType },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      })
      const text = await response.text()
      let parsed: unknown
      try {
        parsed = text === '' ? undefined : JSON.parse(text)
      } catch {
        parsed = undefined
      }
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        text,
        body: parsed,
      }
    },
    close,
  }
}

/** An error answer: its status, and a body of exactly `{error_code, message}`. */
export function expectError(reply: Reply, status: number, errorCode: number, message?: RegExp) {
  expect(reply.status, reply.text).toBe(status)
  expect(Object.keys(reply.body).sort()).toEqual(['error_code', 'message'])
  expect(reply.body.error_code).toBe(errorCode)
  if (message) expect(reply.body.message).toMatch(message)
}

let counter = 0

/** A subject (or topic) name no other test uses. */
export function unique(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`
}

/** An Avro record schema as the text clients send: `fields` as [name, type, default?] triples. */
export function recordSchema(
  name: string,
  fields: readonly (readonly [string, unknown] | readonly [string, unknown, unknown])[],
): string {
  return JSON.stringify({
    type: 'record',
    name,
    fields: fields.map(([field, type, ...rest]) => ({
      name: field,
      type,
      ...(rest.length > 0 && { default: rest[0] }),
    })),
  })
}
