import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Json, recordSchema, type Server, startServer, unique } from './support.ts'

const C = '/v3/clusters/local'
const V2 = 'application/vnd.kafka.v2+json'
const AVRO_V2 = 'application/vnd.kafka.avro.v2+json'

const USER = recordSchema('User', [
  ['name', 'string'],
  ['age', 'int'],
])

let server: Server

beforeAll(async () => {
  server = await startServer()
})

afterAll(async () => {
  await server.close()
})

it('serves Avro records to an avro v2 consumer as JSON with their schema ids', async () => {
  const topic = unique('avro-consumed')
  expect(
    (await server.call('POST', `${C}/topics`, { topic_name: topic }, 'application/json')).status,
  ).toBe(201)
  const produced = await server.call(
    'POST',
    `/topics/${topic}`,
    {
      value_schema: USER,
      records: [{ value: { name: 'Ada', age: 36 } }, { value: { name: 'Alan', age: 41 } }],
    },
    AVRO_V2,
  )
  expect(produced.status, produced.text).toBe(200)
  const schemaId: number = produced.body.value_schema_id

  const group = unique('avro-group')
  const created = await server.call(
    'POST',
    `/consumers/${group}`,
    {
      name: 'c1',
      format: 'avro',
      'auto.offset.reset': 'earliest',
    },
    V2,
  )
  expect(created.status, created.text).toBe(200)
  const instance = `/consumers/${group}/instances/c1`
  expect(
    (await server.call('POST', `${instance}/subscription`, { topics: [topic] }, V2)).status,
  ).toBe(204)

  let records: Json[] = []
  for (let poll = 0; poll < 10 && records.length < 2; poll++) {
    const reply = await fetch(`${server.url}${instance}/records?timeout=1000`, {
      headers: { accept: AVRO_V2 },
    })
    expect(reply.status).toBe(200)
    records = records.concat(await reply.json())
  }
  expect(records).toEqual([
    {
      topic,
      partition: 0,
      offset: 0,
      key: null,
      value: { name: 'Ada', age: 36 },
      value_schema_id: schemaId,
    },
    {
      topic,
      partition: 0,
      offset: 1,
      key: null,
      value: { name: 'Alan', age: 41 },
      value_schema_id: schemaId,
    },
  ])

  // Asking an avro consumer for another format is refused with the REST Proxy's format mismatch.
  const mismatch = await fetch(`${server.url}${instance}/records`, {
    headers: { accept: 'application/vnd.kafka.binary.v2+json' },
  })
  expect(mismatch.status).toBe(406)
  expect(((await mismatch.json()) as Json).error_code).toBe(40601)
  expect((await server.call('DELETE', instance, undefined, V2)).status).toBe(204)
})
