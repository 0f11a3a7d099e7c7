import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countCommands } from '../../support/faults.ts'
import { recordSchema, type Server, startServer, unique } from './support.ts'

/**
 * Registrations race through real HTTP requests to one server, whose
 * registry writes to DynamoDB with conditional writes and transactions only.
 */

let server: Server

beforeAll(async () => {
  server = await startServer()
})

afterAll(async () => {
  await server.close()
})

const RACERS = 24

function registerAll(subjects: readonly string[], schemas: readonly string[]) {
  return Promise.all(
    subjects.map(async (subject, i) => {
      const reply = await server.call('POST', `/subjects/${subject}/versions`, {
        schema: schemas[i % schemas.length],
      })
      expect(reply.status, reply.text).toBe(200)
      return reply.body.id as number
    }),
  )
}

describe('concurrent registration', () => {
  it('of one schema under one subject yields one id and one version', async () => {
    const subject = unique('race-value')
    const schema = recordSchema('Race', [['n', 'int']])
    using calls = countCommands(server.storage.clients.dynamodb)
    const ids = await registerAll(Array(RACERS).fill(subject), [schema])
    expect(new Set(ids).size).toBe(1)
    // The race really happened: writers lost conditional writes and decided again.
    expect(
      calls.count('PutItemCommand', 'ConditionalCheckFailedException') +
        calls.count('TransactWriteItemsCommand', 'TransactionCanceledException'),
    ).toBeGreaterThan(0)
    expect((await server.call('GET', `/subjects/${subject}/versions`)).body).toEqual([1])
    const latest = await server.call('GET', `/subjects/${subject}/versions/latest`)
    expect(latest.body.id).toBe(ids[0])
  })

  it('of one schema under many subjects yields one id everywhere', async () => {
    const subjects = Array.from({ length: RACERS }, () => unique('shared-value'))
    const schema = recordSchema('Shared', [['n', 'long']])
    const ids = await registerAll(subjects, [schema])
    expect(new Set(ids).size).toBe(1)
    const uses = await server.call('GET', `/schemas/ids/${ids[0]}/versions`)
    expect(uses.body).toHaveLength(RACERS)
    expect(uses.body.every((use: { version: number }) => use.version === 1)).toBe(true)
  })

  it('of different schemas under one subject yields distinct ids and versions without gaps', async () => {
    const subject = unique('many-value')
    const set = await server.call('PUT', `/config/${subject}`, { compatibility: 'NONE' })
    expect(set.status).toBe(200)
    const schemas = Array.from({ length: 8 }, (_, i) => recordSchema(`Kind${i}`, [['n', 'int']]))
    // Each schema is sent three times at once: repeats must land on the schema's one version.
    const ids = await registerAll(Array(schemas.length * 3).fill(subject), schemas)
    expect(new Set(ids).size).toBe(schemas.length)
    const versions = await server.call('GET', `/subjects/${subject}/versions`)
    expect(versions.body).toEqual(Array.from({ length: schemas.length }, (_, i) => i + 1))
    for (const [i, schema] of schemas.entries()) {
      const found = await server.call('POST', `/subjects/${subject}`, { schema })
      expect(found.body.id).toBe(ids[i])
    }
  })
})
