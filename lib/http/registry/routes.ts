import { Hono } from 'hono'
import type { HttpDeps } from '../deps.ts'
import { compatibilityRoutes } from './compatibility.ts'
import { configRoutes } from './config.ts'
import { registryContentType } from './registry-http.ts'
import { schemaRoutes } from './schemas.ts'
import { subjectRoutes } from './subjects.ts'

/**
 * The Confluent Schema Registry API, on the same base URL as the REST API:
 * its paths (/subjects, /schemas, /config, /compatibility) collide with none of the REST Proxy's.
 */
export function registryRoutes(deps: HttpDeps): Hono {
  const app = new Hono()
  const mounts = [
    ['/subjects', subjectRoutes(deps)],
    ['/schemas', schemaRoutes(deps)],
    ['/config', configRoutes(deps)],
    ['/compatibility', compatibilityRoutes(deps)],
  ] as const
  for (const [path, routes] of mounts) {
    app.use(path, registryContentType)
    app.use(`${path}/*`, registryContentType)
    app.route(path, routes)
  }
  return app
}
