import { Hono, type MiddlewareHandler } from 'hono'
import { consoleRoutes } from '../console/routes.ts'
import { ClusterNotFoundError } from '../errors.ts'
import { MAINTENANCE_TASKS, type MaintenanceTask } from '../maintenance/tasks.ts'
import { bodyLimit } from './body-limit.ts'
import type { HttpDeps } from './deps.ts'
import { respondWithError } from './error-response.ts'
import { registryRoutes } from './registry/routes.ts'
import { v2ConsumerRoutes } from './v2/consumers.ts'
import { v2TopicRoutes } from './v2/topics.ts'
import { brokerRoutes } from './v3/brokers.ts'
import { consumerGroupRoutes } from './v3/consumer-groups.ts'
import { maintenanceRoutes } from './v3/maintenance.ts'
import { produceRoutes } from './v3/produce.ts'
import { producerRoutes } from './v3/producers.ts'
import { recordRoutes } from './v3/records.ts'
import { clusterResource, list, ResourceLinks } from './v3/resources.ts'
import { topicRoutes } from './v3/topics.ts'

/** The services (lib/runtime) and how this deployment serves them; the registry is served under /subjects, /schemas, /config and /compatibility. */
export interface AppOptions extends HttpDeps {
  readonly maxRequestBytes: number
  /** Runs first on every request, to count and time it (the deployed handler's metrics). */
  readonly observe?: MiddlewareHandler
  /** Refuses unauthenticated requests before any route runs; off for local development and tests. */
  readonly authenticate?: MiddlewareHandler
  /** The tasks `maintenance:run` may start; all of them unless the deployment says otherwise. */
  readonly maintenanceRunTasks?: readonly MaintenanceTask[]
}

/** The one Hono app: served by @hono/node-server locally and by hono/aws-lambda on AWS. */
export function createApp({
  broker,
  groups,
  consumerInstances,
  maintenance,
  registry,
  clusterId,
  maxRequestBytes,
  observe,
  authenticate,
  maintenanceRunTasks = MAINTENANCE_TASKS,
}: AppOptions): Hono {
  const deps: HttpDeps = { broker, groups, consumerInstances, maintenance, registry, clusterId }
  const app = new Hono()

  app.onError(respondWithError)
  app.notFound((c) =>
    c.json({ error_code: 404, message: `No resource at ${c.req.method} ${c.req.path}.` }, 404),
  )
  if (observe) app.use(observe)
  // Before authentication: the console's page holds no data and signs in with an API key itself.
  app.route('/', consoleRoutes())
  if (authenticate) app.use(authenticate)
  app.use(bodyLimit(maxRequestBytes))

  app.get('/v3/clusters', (c) => {
    const links = new ResourceLinks(new URL(c.req.url).origin, clusterId)
    return c.json(list('KafkaClusterList', links.clusters(), [clusterResource(links)]))
  })

  app.use('/v3/clusters/:cluster/*', async (c, next) => {
    const cluster = c.req.param('cluster')
    if (cluster !== clusterId) throw new ClusterNotFoundError(cluster)
    await next()
  })

  app.get('/v3/clusters/:cluster', (c) => {
    const cluster = c.req.param('cluster')
    if (cluster !== clusterId) throw new ClusterNotFoundError(cluster)
    return c.json(clusterResource(new ResourceLinks(new URL(c.req.url).origin, clusterId)))
  })

  const topics = '/v3/clusters/:cluster/topics'
  app.route(topics, topicRoutes(deps))
  app.route(topics, produceRoutes(deps))
  app.route(topics, recordRoutes(deps))
  app.route('/v3/clusters/:cluster', maintenanceRoutes(deps, maintenanceRunTasks))
  app.route('/v3/clusters/:cluster', brokerRoutes(deps))
  app.route('/v3/clusters/:cluster/producers', producerRoutes(deps))
  app.route('/topics', v2TopicRoutes(deps))
  app.route('/consumers', v2ConsumerRoutes(deps))
  app.route('/v3/clusters/:cluster/consumer-groups', consumerGroupRoutes(deps))
  app.route('/', registryRoutes(deps))

  return app
}
