import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_SCHEMA_BYTES } from '../../../lib/registry/schema-types.ts'
import { expectError, recordSchema, type Server, startServer, unique } from './support.ts'

/**
 * Every refusal is specific (its Confluent code, and a message naming what is
 * wrong) and leaves the registry exactly as it was.
 */

const SCHEMA = recordSchema('Thing', [['a', 'string']])

let server: Server
let subject: string
let id: number
let before: unknown

/** Everything a client can see of the registry. */
async function snapshot() {
  const subjects = (await server.call('GET', '/subjects?deleted=true')).body
  const versions = await Promise.all(
    subjects.map(async (name: string) => [
      name,
      (await server.call('GET', `/subjects/${name}/versions?deleted=true`)).body,
      (await server.call('GET', `/config/${name}?defaultToGlobal=true`)).body,
    ]),
  )
  return { subjects, versions, global: (await server.call('GET', '/config')).body }
}

beforeAll(async () => {
  server = await startServer()
  subject = unique('thing-value')
  const reply = await server.call('POST', `/subjects/${subject}/versions`, { schema: SCHEMA })
  id = reply.body.id
  before = await snapshot()
})

afterAll(async () => {
  expect(await snapshot()).toEqual(before)
  await server.close()
})

describe('invalid schemas (42201)', () => {
  it.each([
    ['text that is not JSON', 'not json', /not JSON/],
    ['an unknown type', '{"type": "recrd", "name": "X", "fields": []}', /recrd/],
    ['a record without fields', '{"type": "record", "name": "X"}', /fields/],
    ['a default of the wrong type', recordSchema('X', [['n', 'int', 'seven']]), /invalid|default/i],
    ['an undefined named type', '"Missing"', /Missing/],
  ])('refuses %s', async (_, schema, message) => {
    for (const path of [`/subjects/${subject}/versions`, `/subjects/${unique('new')}/versions`]) {
      expectError(await server.call('POST', path, { schema }), 422, 42201, message)
    }
    expectError(
      await server.call('POST', `/compatibility/subjects/${subject}/versions/latest`, { schema }),
      422,
      42201,
      message,
    )
  })

  it('refuses schema types and features Sluice does not store, saying so', async () => {
    const path = `/subjects/${subject}/versions`
    expectError(
      await server.call('POST', path, { schema: 'syntax = "proto3";', schemaType: 'PROTOBUF' }),
      422,
      42201,
      /PROTOBUF is not supported/,
    )
    expectError(
      await server.call('POST', path, { schema: '{"type": "object"}', schemaType: 'JSON' }),
      422,
      42201,
      /JSON is not supported/,
    )
    expectError(
      await server.call('POST', path, { schema: SCHEMA, schemaType: 'XML' }),
      422,
      42201,
      /Unknown schema type 'XML'/,
    )
    expectError(
      await server.call('POST', path, {
        schema: SCHEMA,
        references: [{ name: 'Other', subject: 'other', version: 1 }],
      }),
      422,
      42201,
      /references are not supported/,
    )
  })
})

describe('schemas over the size limit (42209)', () => {
  it('refuses a schema that would not fit a DynamoDB item with room to spare', async () => {
    const doc = 'x'.repeat(MAX_SCHEMA_BYTES)
    const schema = JSON.stringify({ type: 'record', name: 'Big', doc, fields: [] })
    expectError(
      await server.call('POST', `/subjects/${subject}/versions`, { schema }),
      422,
      42209,
      new RegExp(`limit is ${MAX_SCHEMA_BYTES} bytes`),
    )
  })
})

describe('unknown subjects, versions and ids', () => {
  it('answers 40401 for a subject that does not exist', async () => {
    const missing = unique('missing')
    for (const [method, path] of [
      ['GET', `/subjects/${missing}/versions`],
      ['GET', `/subjects/${missing}/versions/latest`],
      ['DELETE', `/subjects/${missing}`],
      ['DELETE', `/subjects/${missing}/versions/1`],
    ] as const) {
      expectError(await server.call(method, path), 404, 40401, new RegExp(missing))
    }
    expectError(await server.call('POST', `/subjects/${missing}`, { schema: SCHEMA }), 404, 40401)
  })

  it('answers 40402 for a version that does not exist', async () => {
    expectError(
      await server.call('GET', `/subjects/${subject}/versions/2`),
      404,
      40402,
      /Version 2/,
    )
    expectError(await server.call('DELETE', `/subjects/${subject}/versions/7`), 404, 40402)
    expectError(
      await server.call('POST', `/compatibility/subjects/${subject}/versions/3`, {
        schema: SCHEMA,
      }),
      404,
      40402,
    )
  })

  it('answers 40403 for an id that does not exist', async () => {
    for (const path of [
      `/schemas/ids/${id + 1000}`,
      `/schemas/ids/${id + 1000}/schema`,
      `/schemas/ids/${id + 1000}/versions`,
      `/schemas/ids/0`,
    ]) {
      expectError(await server.call('GET', path), 404, 40403, /Schema \d+ not found/)
    }
  })
})

describe('invalid versions, levels and requests', () => {
  it.each(['0', 'abc', '2147483648', '-2', '1.5'])(
    'answers 42202 for version %s',
    async (version) => {
      expectError(
        await server.call('GET', `/subjects/${subject}/versions/${version}`),
        422,
        42202,
        new RegExp(`'${version.replace('.', '\\.')}'`),
      )
    },
  )

  it.each([['"SIDEWAYS"'], ['null'], ['7']])(
    'answers 42203 for compatibility level %s',
    async (level) => {
      const body = `{"compatibility": ${level}}`
      expectError(await server.call('PUT', '/config', body), 422, 42203, /BACKWARD_TRANSITIVE/)
      expectError(await server.call('PUT', `/config/${subject}`, body), 422, 42203)
    },
  )

  it('refuses config fields it does not support rather than ignoring them', async () => {
    expectError(
      await server.call('PUT', '/config', { compatibility: 'FULL', normalize: true }),
      400,
      400,
      /normalize/,
    )
  })

  it('refuses malformed bodies, wrong content types and bad flags', async () => {
    const path = `/subjects/${subject}/versions`
    expectError(await server.call('POST', path, '{"schema": '), 400, 400, /Malformed JSON/)
    expectError(await server.call('POST', path, { schema: 42 }), 400, 400, /schema/)
    expectError(await server.call('POST', path, { schema: SCHEMA }, 'text/plain'), 415, 415)
    expectError(
      await server.call('GET', `/subjects/${subject}/versions?deleted=yes`),
      400,
      400,
      /deleted/,
    )
    expectError(
      await server.call('POST', path, { schema: SCHEMA, ruleSet: { domainRules: [] } }),
      422,
      42201,
      /rule sets/,
    )
  })

  it('refuses subject names DynamoDB or Confluent would not take', async () => {
    expectError(
      await server.call('POST', `/subjects/${encodeURIComponent('a\u0001b')}/versions`, {
        schema: SCHEMA,
      }),
      422,
      42208,
      /control character/,
    )
    expectError(
      await server.call('GET', `/subjects/${'s'.repeat(2049)}/versions`),
      422,
      42208,
      /longer than 2048 bytes/,
    )
  })
})
