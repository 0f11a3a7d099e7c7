import { Hono } from 'hono'
import type { HttpDeps } from '../deps.ts'
import { flag, schemaSubmission, subjectSchemaBody, versionParam } from './registry-http.ts'

/** Subjects and their versions under /subjects. */
export function subjectRoutes({ registry }: HttpDeps): Hono {
  const app = new Hono()

  app.get('/', async (c) =>
    c.json(await registry.listSubjects(flag(c, 'deleted'), c.req.query('subjectPrefix') ?? '')),
  )

  app.get('/:subject/versions', async (c) =>
    c.json(await registry.versions(c.req.param('subject'), flag(c, 'deleted'))),
  )

  app.post('/:subject/versions', async (c) => {
    const submission = await schemaSubmission(c)
    const { id } = await registry.register(c.req.param('subject'), submission)
    return c.json({ id })
  })

  app.post('/:subject', async (c) => {
    const submission = await schemaSubmission(c)
    const found = await registry.lookup(c.req.param('subject'), submission, flag(c, 'deleted'))
    return c.json(subjectSchemaBody(found))
  })

  app.get('/:subject/versions/:version', async (c) => {
    const version = versionParam(c.req.param('version'))
    const found = await registry.version(c.req.param('subject'), version, flag(c, 'deleted'))
    return c.json(subjectSchemaBody(found))
  })

  app.get('/:subject/versions/:version/schema', async (c) => {
    const version = versionParam(c.req.param('version'))
    const found = await registry.version(c.req.param('subject'), version, flag(c, 'deleted'))
    return c.body(found.schema.text)
  })

  app.delete('/:subject', async (c) =>
    c.json(await registry.deleteSubject(c.req.param('subject'), flag(c, 'permanent'))),
  )

  app.delete('/:subject/versions/:version', async (c) => {
    const version = versionParam(c.req.param('version'))
    return c.json(
      await registry.deleteVersion(c.req.param('subject'), version, flag(c, 'permanent')),
    )
  })

  return app
}
