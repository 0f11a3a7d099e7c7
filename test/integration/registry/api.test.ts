import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REGISTRY_CONTENT_TYPE } from '../../../lib/http/registry/registry-http.ts'
import { expectError, recordSchema, type Server, startServer, unique } from './support.ts'

const USER_V1 = recordSchema('User', [['name', 'string']])
const USER_V2 = recordSchema('User', [
  ['name', 'string'],
  ['age', 'int', 0],
])
const USER_V3 = recordSchema('User', [
  ['name', 'string'],
  ['age', 'int', 0],
  ['email', ['null', 'string'], null],
])

let server: Server

beforeAll(async () => {
  server = await startServer()
})

afterAll(async () => {
  await server.close()
})

async function register(subject: string, schema: string): Promise<number> {
  const reply = await server.call('POST', `/subjects/${encodeURIComponent(subject)}/versions`, {
    schema,
  })
  expect(reply.status, reply.text).toBe(200)
  return reply.body.id
}

describe('registering and reading', () => {
  it('gives one id to the forms Avro reads as the same schema, and serves the text first registered', async () => {
    const subject = unique('forms-value')
    const id = await register(subject, '"string"')
    expect(await register(subject, '{"type": "string"}')).toBe(id)
    expect((await server.call('GET', `/subjects/${subject}/versions`)).body).toEqual([1])
    expect((await server.call('GET', `/schemas/ids/${id}`)).body).toEqual({ schema: '"string"' })

    const qualified = JSON.stringify({
      type: 'record',
      name: 'sluice.forms.Event',
      fields: [{ name: 'at', type: { type: 'long' } }],
    })
    const split = JSON.stringify({
      type: 'record',
      name: 'Event',
      namespace: 'sluice.forms',
      fields: [{ name: 'at', type: 'long' }],
    })
    const other = unique('forms-other-value')
    const eventId = await register(other, qualified)
    expect(await register(other, split)).toBe(eventId)
    // A default is part of the schema: it must not be folded into the id of one without it.
    const withDefault = JSON.stringify({
      type: 'record',
      name: 'sluice.forms.Event',
      fields: [{ name: 'at', type: 'long', default: 0 }],
    })
    expect(await register(other, withDefault)).not.toBe(eventId)
  })

  it('numbers versions from 1, dedupes ids across subjects, and serves every view of a schema', async () => {
    const subject = unique('users-value')
    const other = unique('people-value')
    const v1 = await register(subject, USER_V1)
    const v2 = await register(subject, USER_V2)
    expect(v2).toBe(v1 + 1)
    // Whitespace and key order do not make a new schema; another subject reuses the id.
    const spaced = JSON.stringify(JSON.parse(USER_V1), null, 2)
    expect(await register(subject, spaced)).toBe(v1)
    const reordered = JSON.stringify({
      fields: [{ type: 'string', name: 'name' }],
      name: 'User',
      type: 'record',
    })
    expect(await register(other, reordered)).toBe(v1)

    const versions = await server.call('GET', `/subjects/${subject}/versions`)
    expect(versions.body).toEqual([1, 2])
    expect(versions.contentType).toBe(REGISTRY_CONTENT_TYPE)
    const latest = await server.call('GET', `/subjects/${subject}/versions/latest`)
    expect(latest.body).toEqual({ subject, version: 2, id: v2, schema: USER_V2 })
    expect((await server.call('GET', `/subjects/${subject}/versions/-1`)).body.version).toBe(2)
    const first = await server.call('GET', `/subjects/${subject}/versions/1/schema`)
    expect(JSON.parse(first.text)).toEqual(JSON.parse(USER_V1))

    const byId = await server.call('GET', `/schemas/ids/${v1}`)
    expect(byId.body).toEqual({ schema: USER_V1 })
    expect(JSON.parse((await server.call('GET', `/schemas/ids/${v1}/schema`)).text)).toEqual(
      JSON.parse(USER_V1),
    )
    expect((await server.call('GET', `/schemas/ids/${v1}/subjects`)).body.sort()).toEqual(
      [other, subject].sort(),
    )
    expect((await server.call('GET', `/schemas/ids/${v1}/versions`)).body).toEqual(
      expect.arrayContaining([
        { subject, version: 1 },
        { subject: other, version: 1 },
      ]),
    )
    expect((await server.call('GET', '/schemas/types')).body).toEqual(['AVRO'])
  })

  it('looks a schema up in a subject', async () => {
    const subject = unique('lookup-value')
    const id = await register(subject, USER_V1)
    await register(subject, USER_V2)
    const found = await server.call('POST', `/subjects/${subject}`, { schema: USER_V1 })
    expect(found.body).toEqual({ subject, version: 1, id, schema: USER_V1 })
    expectError(
      await server.call('POST', `/subjects/${subject}`, { schema: USER_V3 }),
      404,
      40403,
      /Schema not found/,
    )
  })

  it('accepts the three content types Confluent clients send, and answers in its own', async () => {
    const subject = unique('types-value')
    for (const type of [
      'application/vnd.schemaregistry.v1+json',
      'application/vnd.schemaregistry+json',
      'application/json',
    ]) {
      const reply = await server.call(
        'POST',
        `/subjects/${subject}/versions`,
        { schema: USER_V1 },
        type,
      )
      expect(reply.status, reply.text).toBe(200)
      expect(reply.contentType).toBe(REGISTRY_CONTENT_TYPE)
    }
    const missing = await server.call('GET', `/subjects/${unique('none')}/versions`)
    expect(missing.contentType).toBe(REGISTRY_CONTENT_TYPE)
  })

  it('lists subjects, with a prefix and with soft-deleted ones on request', async () => {
    const prefix = unique('listed')
    const kept = `${prefix}-kept`
    const gone = `${prefix}-gone`
    await register(kept, USER_V1)
    await register(gone, USER_V1)
    await server.call('DELETE', `/subjects/${gone}`)
    expect((await server.call('GET', `/subjects?subjectPrefix=${prefix}`)).body).toEqual([kept])
    expect(
      (await server.call('GET', `/subjects?subjectPrefix=${prefix}&deleted=true`)).body,
    ).toEqual([gone, kept])
  })
})

describe('deleting', () => {
  it('soft deletes a version, hides it unless asked, and re-registers as a new version', async () => {
    const subject = unique('soft-value')
    const id = await register(subject, USER_V1)
    await register(subject, USER_V2)
    expect((await server.call('DELETE', `/subjects/${subject}/versions/1`)).body).toBe(1)
    expect((await server.call('GET', `/subjects/${subject}/versions`)).body).toEqual([2])
    expect((await server.call('GET', `/subjects/${subject}/versions?deleted=true`)).body).toEqual([
      1, 2,
    ])
    expectError(await server.call('GET', `/subjects/${subject}/versions/1`), 404, 40402)
    const hidden = await server.call('GET', `/subjects/${subject}/versions/1?deleted=true`)
    expect(hidden.body).toMatchObject({ version: 1, id })
    expectError(await server.call('POST', `/subjects/${subject}`, { schema: USER_V1 }), 404, 40403)
    expect(
      (await server.call('POST', `/subjects/${subject}?deleted=true`, { schema: USER_V1 })).body,
    ).toMatchObject({ version: 1, id })
    expectError(
      await server.call('DELETE', `/subjects/${subject}/versions/1`),
      404,
      40406,
      /was soft deleted/,
    )
    // The same schema comes back under its old id, as the next version.
    expect(await register(subject, USER_V1)).toBe(id)
    expect((await server.call('GET', `/subjects/${subject}/versions`)).body).toEqual([2, 3])
  })

  it('deletes a version permanently only after a soft delete', async () => {
    const subject = unique('hard-value')
    await register(subject, USER_V1)
    await register(subject, USER_V2)
    expectError(
      await server.call('DELETE', `/subjects/${subject}/versions/2?permanent=true`),
      404,
      40407,
    )
    await server.call('DELETE', `/subjects/${subject}/versions/2`)
    expect(
      (await server.call('DELETE', `/subjects/${subject}/versions/2?permanent=true`)).body,
    ).toBe(2)
    expectError(
      await server.call('GET', `/subjects/${subject}/versions/2?deleted=true`),
      404,
      40402,
    )
    expect((await server.call('GET', `/subjects/${subject}/versions/latest`)).body.version).toBe(1)
  })

  it('soft deletes a subject with its level, then deletes it permanently', async () => {
    const subject = unique('gone-value')
    const id = await register(subject, USER_V1)
    const v2 = await register(subject, USER_V2)
    await server.call('PUT', `/config/${subject}`, { compatibility: 'FULL' })
    expectError(await server.call('DELETE', `/subjects/${subject}?permanent=true`), 404, 40405)
    expect((await server.call('DELETE', `/subjects/${subject}`)).body).toEqual([1, 2])
    expectError(await server.call('GET', `/subjects/${subject}/versions`), 404, 40401)
    expectError(await server.call('GET', `/config/${subject}`), 404, 40408)
    expectError(await server.call('DELETE', `/subjects/${subject}`), 404, 40404)
    expect((await server.call('DELETE', `/subjects/${subject}?permanent=true`)).body).toEqual([
      1, 2,
    ])
    expectError(await server.call('GET', `/subjects/${subject}/versions?deleted=true`), 404, 40401)
    expect((await server.call('GET', '/subjects?deleted=true')).body).not.toContain(subject)
    // Ids stay: data written with them must remain readable.
    expect((await server.call('GET', `/schemas/ids/${id}`)).status).toBe(200)
    const again = await server.call('POST', `/subjects/${subject}/versions`, { schema: USER_V2 })
    expect((await server.call('GET', `/subjects/${subject}/versions`)).body).toEqual([1])
    expect(again.body.id).toBe(v2)
  })
})

describe('compatibility', () => {
  it('refuses an incompatible registration with 409 naming what breaks, and changes nothing', async () => {
    const subject = unique('strict-value')
    await register(subject, USER_V1)
    const breaking = recordSchema('User', [
      ['name', 'string'],
      ['age', 'int'],
    ])
    const reply = await server.call('POST', `/subjects/${subject}/versions`, { schema: breaking })
    expectError(reply, 409, 40901, /BACKWARD.*version 1.*'age'.*no default/)
    expect((await server.call('GET', `/subjects/${subject}/versions`)).body).toEqual([1])
  })

  it('checks against a version, the latest, or every version the level names', async () => {
    const subject = unique('check-value')
    await register(subject, USER_V1)
    await register(subject, USER_V2)
    const renamed = recordSchema('User', [['name', 'long']])
    const check = (path: string, schema: string) =>
      server.call('POST', `/compatibility/subjects/${subject}/versions${path}`, { schema })
    expect((await check('/latest', USER_V3)).body).toEqual({ is_compatible: true })
    const verbose = await check('/1?verbose=true', renamed)
    expect(verbose.body.is_compatible).toBe(false)
    expect(verbose.body.messages).toEqual([expect.stringMatching(/at 'name'.*long.*string/)])
    expect((await check('?verbose=true', USER_V3)).body).toEqual({
      is_compatible: true,
      messages: [],
    })
    expectError(await check('/9', USER_V3), 404, 40402)
    const fresh = unique('fresh-value')
    const first = await server.call('POST', `/compatibility/subjects/${fresh}/versions/latest`, {
      schema: USER_V1,
    })
    expect(first.body).toEqual({ is_compatible: true })
  })

  it('keeps a global level and per-subject levels, with 40408 for a subject without one', async () => {
    const subject = unique('levels-value')
    expect((await server.call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' })
    expectError(await server.call('GET', `/config/${subject}`), 404, 40408, /does not have/)
    expect((await server.call('GET', `/config/${subject}?defaultToGlobal=true`)).body).toEqual({
      compatibilityLevel: 'BACKWARD',
    })
    const put = await server.call('PUT', `/config/${subject}`, {
      compatibility: 'forward_transitive',
    })
    expect(put.body).toEqual({ compatibility: 'FORWARD_TRANSITIVE' })
    expect((await server.call('GET', `/config/${subject}`)).body).toEqual({
      compatibilityLevel: 'FORWARD_TRANSITIVE',
    })
    expect((await server.call('DELETE', `/config/${subject}`)).body).toEqual({
      compatibilityLevel: 'FORWARD_TRANSITIVE',
    })
    expectError(await server.call('DELETE', `/config/${subject}`), 404, 40408)

    expect((await server.call('PUT', '/config', { compatibility: 'NONE' })).body).toEqual({
      compatibility: 'NONE',
    })
    expect((await server.call('GET', `/config/${subject}?defaultToGlobal=true`)).body).toEqual({
      compatibilityLevel: 'NONE',
    })
    expect((await server.call('DELETE', '/config')).body).toEqual({ compatibilityLevel: 'NONE' })
    expect((await server.call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' })
    // A level set before any version exists does not make the subject appear.
    expect((await server.call('GET', '/subjects?deleted=true')).body).not.toContain(subject)
  })
})
