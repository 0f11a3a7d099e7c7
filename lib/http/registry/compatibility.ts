import { type Context, Hono } from 'hono'
import type { SchemaRegistry } from '../../registry/registry.ts'
import type { VersionSelector } from '../../registry/subject.ts'
import type { HttpDeps } from '../deps.ts'
import { flag, schemaSubmission, versionParam } from './registry-http.ts'

async function check(c: Context, registry: SchemaRegistry, against: VersionSelector | 'all') {
  const verbose = flag(c, 'verbose')
  const submission = await schemaSubmission(c)
  const problems = await registry.compatibilityProblems(
    c.req.param('subject') as string,
    submission,
    against,
  )
  return c.json({
    is_compatible: problems.length === 0,
    ...(verbose && { messages: problems }),
  })
}

/** Compatibility checks under /compatibility; `?verbose=true` adds what breaks. */
export function compatibilityRoutes({ registry }: HttpDeps): Hono {
  const app = new Hono()

  app.post('/subjects/:subject/versions/:version', (c) =>
    check(c, registry, versionParam(c.req.param('version'))),
  )

  app.post('/subjects/:subject/versions', (c) => check(c, registry, 'all'))

  return app
}
