/** Shared by the consumer group tests: an app with short group timers, and a v2 consumer driven over HTTP. */
import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import { heldBy } from '../../../lib/groups/group-records.ts'
import { createApp } from '../../../lib/http/app.ts'
import type { GroupTimers } from '../../../lib/runtime/services.ts'
import { createServices } from '../../../lib/runtime/services.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { createTestStorage } from '../../support/storage.ts'
import {
  C,
  DEFAULT_MAX_REQUEST_BYTES,
  type Harness,
  type Json,
  type Response,
  readResponse,
} from '../http/support.ts'

export const V2 = 'application/vnd.kafka.v2+json'
export const JSON_V2 = 'application/vnd.kafka.json.v2+json'
export const BINARY_V2 = 'application/vnd.kafka.binary.v2+json'

/** How often a member's session deadline is rewritten in tests with sessions of `sessionMs`. */
export function heartbeatInterval(sessionMs: number): number {
  return Math.min(3000, sessionMs / 4)
}

/**
 * Group timers for tests: sessions far below Kafka's 6 s minimum (only options
 * may set that), auto-commit on every records call, quick long-poll checks.
 */
export function testGroupOptions(sessionMs: number): GroupTimers {
  return {
    groups: {
      sessionTimeoutMs: { default: sessionMs, min: 100, max: 60_000 },
      heartbeatIntervalMs: heartbeatInterval(sessionMs),
    },
    consumerInstances: { autoCommitIntervalMs: 0, pollIntervalMs: { min: 20, max: 100 } },
  }
}

export async function createGroupsHarness(
  options: GroupTimers = testGroupOptions(10_000),
): Promise<Harness> {
  const storage = await createTestStorage()
  const services = createServices(awsStorage(storage.clients, storage.names), options)
  const app = createApp({
    ...services,
    clusterId: 'local',
    maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
  })
  const request = async (path: string, init?: RequestInit) =>
    readResponse(await app.request(path, init))
  return {
    ...services,
    storage,
    app,
    request,
    get: (path) => request(path),
    send: (method, path, body, contentType = V2) =>
      request(path, {
        method,
        headers: { 'content-type': contentType },
        ...(body !== undefined && {
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      }),
  }
}

export function uniqueGroup(prefix = 'group'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}

/** Produces JSON values to one partition; returns their offsets. */
export async function produceJson(
  h: Harness,
  topic: string,
  partition: number,
  values: readonly unknown[],
): Promise<number[]> {
  const response = await h.send(
    'POST',
    `/topics/${topic}/partitions/${partition}`,
    { records: values.map((value) => ({ value })) },
    JSON_V2,
  )
  expect(response.status, response.text).toBe(200)
  return response.body.offsets.map((o: { offset: number }) => o.offset)
}

/** A REST Proxy v2 consumer instance, driven through the app like any HTTP client. */
export class Consumer {
  private constructor(
    readonly h: Harness,
    readonly group: string,
    readonly name: string,
  ) {}

  static async create(h: Harness, group: string, config: Json = {}): Promise<Consumer> {
    const response = await h.send('POST', `/consumers/${group}`, config)
    expect(response.status, response.text).toBe(200)
    expect(response.body.base_uri).toBe(
      `http://localhost/consumers/${group}/instances/${response.body.instance_id}`,
    )
    return new Consumer(h, group, response.body.instance_id)
  }

  get path(): string {
    return `/consumers/${this.group}/instances/${this.name}`
  }

  async subscribe(topics: string[]): Promise<void> {
    const response = await this.h.send('POST', `${this.path}/subscription`, { topics })
    expect(response.status, response.text).toBe(204)
  }

  records(query = 'timeout=0', accept?: string): Promise<Response> {
    return this.h.request(`${this.path}/records?${query}`, {
      ...(accept !== undefined && { headers: { accept } }),
    })
  }

  /** One records call that must succeed; returns the records. */
  async poll(query = 'timeout=0'): Promise<Json[]> {
    const response = await this.records(query)
    expect(response.status, response.text).toBe(200)
    return response.body
  }

  /** Commits the offsets of the last records processed, or, with none given, all read so far. */
  commit(offsets?: { topic: string; partition: number; offset: number }[]): Promise<Response> {
    return offsets === undefined
      ? this.h.request(`${this.path}/offsets`, { method: 'POST' })
      : this.h.send('POST', `${this.path}/offsets`, { offsets })
  }

  async committed(partitions?: string): Promise<Json[]> {
    const query = partitions === undefined ? '' : `?partitions=${partitions}`
    const response = await this.h.get(`${this.path}/offsets${query}`)
    expect(response.status, response.text).toBe(200)
    return response.body.offsets
  }

  /** The partitions the instance holds, as `topic/partition`. */
  async assignment(): Promise<string[]> {
    const response = await this.h.get(`${this.path}/assignments`)
    expect(response.status, response.text).toBe(200)
    return response.body.partitions.map(
      (p: { topic: string; partition: number }) => `${p.topic}/${p.partition}`,
    )
  }

  async delete(): Promise<void> {
    const response = await this.h.request(this.path, { method: 'DELETE' })
    expect(response.status, response.text).toBe(204)
  }
}

/**
 * The invariant of a consumer group: no partition held by two members at once,
 * neither in the coordinator's items (assigned or still revoking) nor in what
 * the instances believe they hold.
 */
export async function expectExclusiveOwnership(
  h: Harness,
  group: string,
  consumers: readonly Consumer[],
): Promise<Map<string, string[]>> {
  const { members } = await h.groups.admin.describe(group)
  const coordinatorView = members.flatMap(heldBy)
  expect(new Set(coordinatorView).size, coordinatorView.join(' ')).toBe(coordinatorView.length)
  const views = new Map<string, string[]>()
  for (const consumer of consumers) views.set(consumer.name, await consumer.assignment())
  const instanceView = [...views.values()].flat()
  expect(new Set(instanceView).size, instanceView.join(' ')).toBe(instanceView.length)
  return views
}

export async function groupState(h: Harness, group: string): Promise<string> {
  const response = await h.get(`${C}/consumer-groups/${group}`)
  expect(response.status, response.text).toBe(200)
  return response.body.state
}
