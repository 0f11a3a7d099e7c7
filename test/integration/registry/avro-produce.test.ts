import { InternalServerError } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PayloadConversionError, RetriableStorageError } from '../../../lib/errors.ts'
import { readPayload } from '../../../lib/http/payloads.ts'
import { createSchemaRegistry } from '../../../lib/registry/registry.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { testClients } from '../../support/clients.ts'
import { failCommand } from '../../support/faults.ts'
import {
  expectError,
  type Json,
  recordSchema,
  type Server,
  startServer,
  unique,
} from './support.ts'

const C = '/v3/clusters/local'
const AVRO_V2 = 'application/vnd.kafka.avro.v2+json'

const USER = recordSchema('User', [
  ['name', 'string'],
  ['age', 'int'],
  ['email', ['null', 'string'], null],
])

let server: Server

beforeAll(async () => {
  server = await startServer()
})

afterAll(async () => {
  await server.close()
})

async function createTopic(): Promise<string> {
  const topic = unique('avro')
  const reply = await server.call('POST', `${C}/topics`, { topic_name: topic }, 'application/json')
  expect(reply.status, reply.text).toBe(201)
  return topic
}

function produce(topic: string, body: unknown) {
  return server.call('POST', `${C}/topics/${topic}/records`, body, 'application/json')
}

async function read(topic: string, query = ''): Promise<Json[]> {
  const reply = await server.call(
    'GET',
    `${C}/topics/${topic}/partitions/0/records?offset=0${query}`,
  )
  expect(reply.status, reply.text).toBe(200)
  return reply.body.data
}

async function logEnd(topic: string): Promise<number> {
  const reply = await server.call('GET', `${C}/topics/${topic}/partitions/0/offset`)
  return reply.body.latest_offset
}

async function subjectVersions(subject: string): Promise<Json> {
  return (await server.call('GET', `/subjects/${subject}/versions`)).body
}

describe('v3 produce with Avro', () => {
  it('registers an inline schema under <topic>-value and reads the value back decoded', async () => {
    const topic = await createTopic()
    const reply = await produce(topic, {
      key: { type: 'STRING', data: 'ada' },
      value: { type: 'AVRO', schema: USER, data: { name: 'Ada', age: 36 } },
    })
    expect(reply.status, reply.text).toBe(200)
    const id = reply.body.value.schema_id
    expect(reply.body.value).toEqual({
      type: 'AVRO',
      size: expect.any(Number),
      schema_id: id,
      subject: `${topic}-value`,
      schema_version: 1,
    })
    const [record] = await read(topic)
    expect(record.key).toEqual({ type: 'STRING', data: 'ada' })
    // The missing field took its default; Avro's JSON encoding names union branches.
    expect(record.value).toEqual({
      type: 'AVRO',
      schema_id: id,
      data: { name: 'Ada', age: 36, email: null },
    })
    const [raw] = await read(topic, '&value_type=BINARY')
    const bytes = Buffer.from(raw.value.data, 'base64')
    expect([bytes[0], bytes.readUInt32BE(1)]).toEqual([0, id])
  })

  it('chooses the schema by id, by version, by subject, by record name, or the latest', async () => {
    const topic = await createTopic()
    const first = await produce(topic, {
      value: { type: 'AVRO', schema: USER, data: { name: 'a', age: 1 } },
    })
    const id = first.body.value.schema_id
    const named = unique('named-subject')
    await server.call('POST', `/subjects/${named}/versions`, { schema: USER })
    const data = { name: 'b', age: 2, email: { string: 'b@example.com' } }
    const cases: [unknown, Json][] = [
      [{ schema_id: id }, { schema_id: id }],
      [
        { type: 'AVRO', schema_version: 1 },
        { subject: `${topic}-value`, schema_version: 1 },
      ],
      [{}, { subject: `${topic}-value`, schema_version: 1 }],
      [{ subject: named }, { subject: named, schema_version: 1 }],
      [
        { schema: USER, subject_name_strategy: 'RECORD_NAME' },
        { subject: 'User', schema_version: 1 },
      ],
      [
        { schema: USER, subject_name_strategy: 'TOPIC_RECORD_NAME' },
        { subject: `${topic}-User`, schema_version: 1 },
      ],
    ]
    for (const [selector, expected] of cases) {
      const reply = await produce(topic, { value: { ...(selector as object), data } })
      expect(reply.status, reply.text).toBe(200)
      expect(reply.body.value).toMatchObject({ type: 'AVRO', schema_id: id, ...expected })
    }
    const records = await read(topic)
    expect(records.map((r) => r.value.data)).toEqual([
      { name: 'a', age: 1, email: null },
      ...cases.map(() => data),
    ])
  })

  it('refuses a record that does not fit its schema with 422 naming the field, storing nothing', async () => {
    const topic = await createTopic()
    await produce(topic, { value: { type: 'AVRO', schema: USER, data: { name: 'a', age: 1 } } })
    const cases: [unknown, RegExp][] = [
      [{ name: 'x', age: 'old' }, /field 'age' must be a valid int; got "old"/],
      [{ age: 3 }, /field 'name' is missing/],
      [
        { name: 'x', age: 3, email: 'plain' },
        /field 'email' must be null or an object naming one branch/,
      ],
      [{ name: 'x', age: 3, nickname: 'y' }, /field 'nickname' is not a field of record User/],
      ['just text', /must be a record User object/],
    ]
    for (const [data, message] of cases) {
      expectError(await produce(topic, { value: { data } }), 422, 42203, message)
    }
    expect(await logEnd(topic)).toBe(1)
  })

  it('gives each batch entry its own outcome', async () => {
    const topic = await createTopic()
    await server.call('POST', `/subjects/${topic}-value/versions`, { schema: USER })
    const reply = await server.call(
      'POST',
      `${C}/topics/${topic}/records:batch`,
      {
        entries: [
          { id: 'good', value: { data: { name: 'a', age: 1 } } },
          { id: 'bad', value: { data: { name: 'b', age: 2.5 } } },
        ],
      },
      'application/json',
    )
    expect(reply.status).toBe(207)
    expect(reply.body.successes.map((s: Json) => s.id)).toEqual(['good'])
    expect(reply.body.failures).toEqual([
      { id: 'bad', error_code: 42203, message: expect.stringMatching(/field 'age'/) },
    ])
    expect(await logEnd(topic)).toBe(1)
  })

  it('answers registry problems with the REST Proxy codes and stores nothing', async () => {
    const topic = await createTopic()
    expectError(
      await produce(topic, { value: { data: { name: 'a' } } }),
      422,
      42207,
      new RegExp(`subject '${topic}-value'.*not found`),
    )
    expectError(
      await produce(topic, { value: { schema_id: 999_999, data: {} } }),
      422,
      42207,
      /Schema 999999 not found/,
    )
    expectError(
      await produce(topic, { value: { type: 'AVRO', schema: '{"type": "recrd"}', data: {} } }),
      422,
      42205,
      /recrd/,
    )
    await produce(topic, { value: { type: 'AVRO', schema: USER, data: { name: 'a', age: 1 } } })
    expectError(
      await produce(topic, {
        value: {
          type: 'AVRO',
          schema: recordSchema('User', [['name', 'long']]),
          data: { name: 1 },
        },
      }),
      422,
      42207,
      /incompatible.*'name'/,
    )
    expectError(
      await produce(topic, { value: { type: 'STRING', schema_id: 1, data: 'x' } }),
      400,
      400,
      /takes no schema/,
    )
    expectError(
      await produce(topic, { value: { type: 'PROTOBUF', data: {} } }),
      400,
      400,
      /AVRO schemas only/,
    )
    expect(await logEnd(topic)).toBe(1)
  })
})

describe('v2 produce with application/vnd.kafka.avro.v2+json', () => {
  const KEY = '{"type": "string"}'

  it('registers key and value schemas under the topic and answers their ids', async () => {
    const topic = await createTopic()
    const reply = await server.call(
      'POST',
      `/topics/${topic}`,
      {
        key_schema: KEY,
        value_schema: USER,
        records: [
          { key: 'k1', value: { name: 'a', age: 1 } },
          { value: { name: 'b', age: 2, email: { string: 'b@x' } } },
        ],
      },
      AVRO_V2,
    )
    expect(reply.status, reply.text).toBe(200)
    const { key_schema_id: keyId, value_schema_id: valueId } = reply.body
    expect(typeof keyId).toBe('number')
    expect(typeof valueId).toBe('number')
    expect(reply.body.offsets.map((o: Json) => o.offset)).toEqual([0, 1])
    expect(await subjectVersions(`${topic}-key`)).toEqual([1])
    expect(await subjectVersions(`${topic}-value`)).toEqual([1])

    const records = await read(topic)
    expect(records.map((r) => [r.key, r.value])).toEqual([
      [
        { type: 'AVRO', schema_id: keyId, data: 'k1' },
        { type: 'AVRO', schema_id: valueId, data: { name: 'a', age: 1, email: null } },
      ],
      [
        null,
        { type: 'AVRO', schema_id: valueId, data: { name: 'b', age: 2, email: { string: 'b@x' } } },
      ],
    ])

    // Ids may come as numbers or, from some clients, as numeric strings.
    const byId = await server.call(
      'POST',
      `/topics/${topic}`,
      { value_schema_id: String(valueId), records: [{ value: { name: 'c', age: 3 } }] },
      AVRO_V2,
    )
    expect(byId.status, byId.text).toBe(200)
    expect(byId.body).toMatchObject({ key_schema_id: null, value_schema_id: valueId })
  })

  it('refuses the whole request when one record does not fit, registering and storing nothing', async () => {
    const topic = await createTopic()
    const reply = await server.call(
      'POST',
      `/topics/${topic}`,
      {
        value_schema: USER,
        records: [
          { value: { name: 'a', age: 1 } },
          { value: { name: 'b', age: 2 } },
          { value: { name: 'c', age: { int: 3 } } },
        ],
      },
      AVRO_V2,
    )
    expectError(reply, 422, 42203, /records\[2\]\.value .*field 'age' must be a valid int/)
    expect(await logEnd(topic)).toBe(0)
    expectError(await server.call('GET', `/subjects/${topic}-value/versions`), 404, 40401)
  })

  it('needs a schema for keys and for values (42201, 42202)', async () => {
    const topic = await createTopic()
    expectError(
      await server.call(
        'POST',
        `/topics/${topic}`,
        { records: [{ value: { name: 'a', age: 1 } }] },
        AVRO_V2,
      ),
      422,
      42202,
      /value schema/,
    )
    expectError(
      await server.call(
        'POST',
        `/topics/${topic}`,
        { value_schema: USER, records: [{ key: 'k', value: { name: 'a', age: 1 } }] },
        AVRO_V2,
      ),
      422,
      42201,
      /key schema/,
    )
    expectError(
      await server.call(
        'POST',
        `/topics/${topic}`,
        { value_schema: '{"type": "nope"}', records: [{ value: 1 }] },
        AVRO_V2,
      ),
      422,
      42205,
      /nope/,
    )
    expectError(
      await server.call(
        'POST',
        `/topics/${topic}`,
        { value_schema: USER, records: [{ value: 'eA==' }] },
        'application/vnd.kafka.binary.v2+json',
      ),
      400,
      400,
      /avro\.v2\+json only/,
    )
    expect(await logEnd(topic)).toBe(0)
  })
})

describe('reading as another type', () => {
  it('refuses bytes that are not what the requested type says, and unknown types', async () => {
    const topic = await createTopic()
    await produce(topic, { value: { type: 'STRING', data: 'plain text' } })
    expectError(
      await server.call('GET', `${C}/topics/${topic}/partitions/0/records?value_type=AVRO`),
      422,
      42203,
      /value at offset 0 cannot be read as AVRO.*magic byte/,
    )
    expectError(
      await server.call('GET', `${C}/topics/${topic}/partitions/0/records?key_type=XML`),
      400,
      400,
      /key_type/,
    )
    const [record] = await read(topic, '&value_type=BINARY')
    expect(Buffer.from(record.value.data, 'base64').toString()).toBe('plain text')
  })
})

describe('decoding when the registry cannot be reached', () => {
  it('fails as a retriable storage error, not as bad data', async () => {
    const topic = await createTopic()
    await produce(topic, { value: { type: 'AVRO', schema: USER, data: { name: 'a', age: 1 } } })
    const [record] = await read(topic, '&value_type=BINARY')
    const bytes = Buffer.from(record.value.data, 'base64')
    // A registry of its own: nothing cached, and its client alone meets the fault.
    const clients = testClients()
    const registry = createSchemaRegistry(awsStorage(clients, server.storage.names))
    using _fault = failCommand(
      clients.dynamodb,
      'GetItemCommand',
      () => new InternalServerError({ message: 'engine failure', $metadata: {} }),
    )
    const error = await readPayload('AVRO', bytes, registry, 'The value').catch((e) => e)
    expect(error).not.toBeInstanceOf(PayloadConversionError)
    expect(error).toBeInstanceOf(RetriableStorageError)
  })
})
