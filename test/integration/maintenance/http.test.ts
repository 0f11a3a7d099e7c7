import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../lib/http/app.ts'
import { produceOk, range, record } from '../broker/helpers.ts'
import {
  allOffsets,
  base64,
  C,
  createHarness,
  createTopic,
  expectError,
  type Harness,
  partitionOffsets,
  readResponse,
  uniqueTopic,
} from '../http/support.ts'

let h: Harness

beforeAll(async () => {
  h = await createHarness()
})

const RUN = `${C}/maintenance:run`

async function topicWithEntries(entries: number, configs: Record<string, string> = {}) {
  const name = uniqueTopic('maint')
  await createTopic(h, name, 1, configs)
  const topic = await h.broker.topics.describe(name)
  for (const i of range(entries)) {
    await produceOk(h.broker, topic, [record({ key: `k${i}`, value: `v${i}`, partition: 0 })])
  }
  return name
}

describe('POST /v3/clusters/{cluster}/maintenance:run', () => {
  it('runs the tasks asked for on the topics named and answers with the report', async () => {
    const name = await topicWithEntries(5)
    const response = await h.send('POST', RUN, { topics: [name], tasks: ['merge'] })
    expect(response.status, response.text).toBe(200)
    expect(response.body).toMatchObject({
      tasks: ['merge'],
      complete: true,
      partitions: [
        {
          topic: name,
          partition: 0,
          outcome: 'done',
          tasks: { merge: { entriesBefore: 5, entriesAfter: 1, segmentsWritten: 1 } },
        },
      ],
      totals: { partitionsTouched: 1, entriesBefore: 5, entriesAfter: 1, segmentsWritten: 1 },
    })
    expect(response.body.gc).toBeUndefined()
    const segments = await h.get(`${C}/topics/${name}/partitions/0/segments`)
    expect(segments.body.data).toHaveLength(1)
  })

  it('runs every task when the body is empty, garbage collection included', async () => {
    const response = await h.request(RUN, { method: 'POST' })
    expect(response.status, response.text).toBe(200)
    expect(response.body.tasks).toEqual(['merge', 'compact', 'retention', 'gc'])
    expect(response.body.gc).toMatchObject({ complete: true })
  })

  it('refuses an unknown task, an unknown field and an empty list with 400, running nothing', async () => {
    const name = await topicWithEntries(3)
    const before = await h.get(`${C}/topics/${name}/partitions/0/segments`)
    expectError(await h.send('POST', RUN, { tasks: ['merge', 'defrag'] }), 400, 400, /tasks/)
    expectError(await h.send('POST', RUN, { topics: [name], extra: true }), 400, 400)
    expectError(await h.send('POST', RUN, { topics: [] }), 400, 400, /topics/)
    expectError(await h.send('POST', RUN, '{"tasks": '), 400, 400, /JSON/)
    expectError(await h.send('POST', RUN, { tasks: ['merge'] }, 'text/plain'), 415, 415)
    const after = await h.get(`${C}/topics/${name}/partitions/0/segments`)
    expect(after.body.data).toEqual(before.body.data)
  })

  it('answers 404 for an unknown topic or cluster', async () => {
    expectError(
      await h.send('POST', RUN, { topics: ['no-such-topic'] }),
      404,
      40401,
      /no-such-topic/,
    )
    expectError(await h.send('POST', '/v3/clusters/other/maintenance:run', {}), 404, 404)
  })
})

describe('what maintenance changes, seen over HTTP', () => {
  it('refuses a record without a key on a compacted topic with 400/40002, writing nothing', async () => {
    const name = uniqueTopic('compacted')
    await createTopic(h, name, 1, { 'cleanup.policy': 'compact' })
    const before = await allOffsets(h, name)
    const response = await h.send('POST', `${C}/topics/${name}/records`, {
      value: { type: 'BINARY', data: base64('no key') },
    })
    expectError(response, 400, 40002, /needs a key/)
    expect(await allOffsets(h, name)).toEqual(before)
    const keyed = await h.send('POST', `${C}/topics/${name}/records`, {
      key: { type: 'STRING', data: 'k' },
      value: { type: 'BINARY', data: base64('keyed') },
    })
    expect(keyed.status, keyed.text).toBe(200)
  })

  it('answers a read below the log start that retention moved with 416/41601', async () => {
    const name = await topicWithEntries(4, { 'retention.bytes': '0' })
    const response = await h.send('POST', RUN, { topics: [name], tasks: ['retention'] })
    expect(response.status, response.text).toBe(200)
    expect(await partitionOffsets(h, name)).toEqual({ earliest: 4, latest: 4 })
    const read = await h.get(`${C}/topics/${name}/partitions/0/records?offset=1`)
    expectError(read, 416, 41601, /valid offsets are 4 to 4/)
  })
})

describe('a deployment that keeps garbage collection on its schedule', () => {
  it('runs the allowed tasks by default and refuses gc with 403', async () => {
    const limited = createApp({
      ...h,
      clusterId: 'local',
      maxRequestBytes: 1024 * 1024,
      maintenanceRunTasks: ['merge', 'compact', 'retention'],
    })
    const run = async (body?: unknown) =>
      readResponse(
        await limited.request(RUN, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        }),
      )
    const all = await run()
    expect(all.status, all.text).toBe(200)
    expect(all.body.tasks).toEqual(['merge', 'compact', 'retention'])
    expect(all.body.gc).toBeUndefined()
    expectError(await run({ tasks: ['merge', 'gc'] }), 403, 40301, /gc/)
  })
})
