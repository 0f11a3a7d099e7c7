import { Hono } from 'hono'
import type { Broker } from '../broker/broker.ts'
import { ClusterNotFoundError } from '../errors.ts'
import { bodyLimit } from './body-limit.ts'
import type { HttpDeps } from './deps.ts'
import { respondWithError } from './error-response.ts'
import { v2TopicRoutes } from './v2/topics.ts'
import { produceRoutes } from './v3/produce.ts'
import { recordRoutes } from './v3/records.ts'
import { clusterResource, list, ResourceLinks } from './v3/resources.ts'
import { topicRoutes } from './v3/topics.ts'

export interface AppOptions {
  readonly broker: Broker
  readonly clusterId: string
  readonly maxRequestBytes: number
}

/** The one Hono app: served by @hono/node-server locally and by hono/aws-lambda on AWS. */
export function createApp({ broker, clusterId, maxRequestBytes }: AppOptions): Hono {
  const deps: HttpDeps = { broker, clusterId }
  const app = new Hono()

  app.onError(respondWithError)
  app.notFound((c) =>
    c.json({ error_code: 404, message: `No resource at ${c.req.method} ${c.req.path}.` }, 404),
  )
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
  app.route('/topics', v2TopicRoutes(deps))

  return app
}
