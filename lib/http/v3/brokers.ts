import { Hono } from 'hono'
import { BrokerNotFoundError } from '../../errors.ts'
import type { HttpDeps } from '../deps.ts'
import { nonNegativeInteger } from '../params.ts'
import { BROKER_ID, brokerResource, list, ResourceLinks, replicaResource } from './resources.ts'

/**
 * The broker, config and ACL resources a v3 cluster links to, under
 * /v3/clusters/{cluster}. Sluice has one logical broker with nothing to
 * configure, and authorizes with API keys or IAM rather than Kafka ACLs: the
 * lists say so by being empty.
 */
export function brokerRoutes({ broker, clusterId }: HttpDeps): Hono {
  const app = new Hono()
  const linksOf = (url: string) => new ResourceLinks(new URL(url).origin, clusterId)
  const brokerId = (text: string | undefined) => {
    const id = nonNegativeInteger(text, 'broker_id')
    if (id !== BROKER_ID) throw new BrokerNotFoundError(id)
    return id
  }

  app.get('/brokers', (c) => {
    const links = linksOf(c.req.url)
    return c.json(
      list('KafkaBrokerList', links.brokers(), [brokerResource(links, new URL(c.req.url))]),
    )
  })

  app.get('/brokers/:broker', (c) => {
    brokerId(c.req.param('broker'))
    return c.json(brokerResource(linksOf(c.req.url), new URL(c.req.url)))
  })

  app.get('/brokers/:broker/configs', (c) => {
    brokerId(c.req.param('broker'))
    return c.json(list('KafkaBrokerConfigList', `${linksOf(c.req.url).broker()}/configs`, []))
  })

  app.get('/brokers/:broker/partition-replicas', async (c) => {
    brokerId(c.req.param('broker'))
    const links = linksOf(c.req.url)
    const replicas = (await broker.topics.list()).flatMap((topic) =>
      Array.from({ length: topic.partitionsCount }, (_, p) =>
        replicaResource(links, topic.name, p),
      ),
    )
    return c.json(list('KafkaReplicaList', `${links.broker()}/partition-replicas`, replicas))
  })

  app.get('/broker-configs', (c) =>
    c.json(list('KafkaClusterConfigList', `${linksOf(c.req.url).cluster()}/broker-configs`, [])),
  )

  app.get('/acls', (c) => c.json(list('KafkaAclList', `${linksOf(c.req.url).cluster()}/acls`, [])))

  return app
}
