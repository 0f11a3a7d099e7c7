import { Hono } from 'hono'
import { SCHEMA_TYPES } from '../../registry/schema-types.ts'
import type { HttpDeps } from '../deps.ts'
import { nonNegativeInteger } from '../params.ts'
import { flag } from './registry-http.ts'

/** Schemas by global id under /schemas. */
export function schemaRoutes({ registry }: HttpDeps): Hono {
  const app = new Hono()

  app.get('/types', (c) => c.json(SCHEMA_TYPES))

  app.get('/ids/:id', async (c) => {
    const { schema } = await registry.schemaById(nonNegativeInteger(c.req.param('id'), 'id'))
    return c.json({ schema: schema.text })
  })

  app.get('/ids/:id/schema', async (c) => {
    const { schema } = await registry.schemaById(nonNegativeInteger(c.req.param('id'), 'id'))
    return c.body(schema.text)
  })

  app.get('/ids/:id/subjects', async (c) => {
    const uses = await registry.usesOf(
      nonNegativeInteger(c.req.param('id'), 'id'),
      flag(c, 'deleted'),
    )
    return c.json([...new Set(uses.map((use) => use.subject))])
  })

  app.get('/ids/:id/versions', async (c) =>
    c.json(await registry.usesOf(nonNegativeInteger(c.req.param('id'), 'id'), flag(c, 'deleted'))),
  )

  return app
}
