import { Hono } from 'hono'
import { z } from 'zod'
import { parseCompatibilityLevel } from '../../registry/compatibility-levels.ts'
import type { HttpDeps } from '../deps.ts'
import { jsonBody } from '../request-body.ts'
import { flag } from './registry-http.ts'

/** Only the level is configurable; Confluent's other config fields are refused, not ignored. */
const configBody = z.object({ compatibility: z.unknown() }).strict()

/** Compatibility levels under /config: GET answers `compatibilityLevel`, PUT takes and echoes `compatibility`. */
export function configRoutes({ registry }: HttpDeps): Hono {
  const app = new Hono()

  app.get('/', async (c) => c.json({ compatibilityLevel: await registry.globalCompatibility() }))

  app.put('/', async (c) => {
    const compatibility = parseCompatibilityLevel((await jsonBody(c, configBody)).compatibility)
    await registry.setGlobalCompatibility(compatibility)
    return c.json({ compatibility })
  })

  app.delete('/', async (c) =>
    c.json({ compatibilityLevel: await registry.resetGlobalCompatibility() }),
  )

  app.get('/:subject', async (c) => {
    const level = await registry.subjectCompatibility(
      c.req.param('subject'),
      flag(c, 'defaultToGlobal'),
    )
    return c.json({ compatibilityLevel: level })
  })

  app.put('/:subject', async (c) => {
    const compatibility = parseCompatibilityLevel((await jsonBody(c, configBody)).compatibility)
    await registry.setSubjectCompatibility(c.req.param('subject'), compatibility)
    return c.json({ compatibility })
  })

  app.delete('/:subject', async (c) =>
    c.json({
      compatibilityLevel: await registry.deleteSubjectCompatibility(c.req.param('subject')),
    }),
  )

  return app
}
