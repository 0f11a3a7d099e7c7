/**
 * The Kafka gateway as a long-running process: the container's entry point.
 * Configuration comes from the environment, as functions/api.ts reads it: the
 * storage names the stack sets (SLUICE_BUCKET, SLUICE_TABLE_*), and
 * SLUICE_KAFKA_* for the gateway (lib/config.ts). On SIGTERM it drains its
 * connections for at most SLUICE_KAFKA_DRAIN_MS, then exits 0.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Logger } from '@aws-lambda-powertools/logger'
import { ConfigError, configFromEnv } from '../lib/config.ts'
import { startConfiguredGateway } from '../lib/kafka/configured-gateway.ts'
import { createServices } from '../lib/runtime/services.ts'
import { createAwsClients } from '../lib/storage/aws/clients.ts'
import { awsStorage } from '../lib/storage/aws/storage-engine.ts'

// Unlike the dev server, a deployed gateway never falls back to serving anyone who connects.
for (const name of ['SLUICE_KAFKA_AUTH', 'SLUICE_KAFKA_ADVERTISED_HOST']) {
  if (!process.env[name]) throw new ConfigError(`${name} must be set.`)
}
const config = configFromEnv()
const logger = new Logger({
  serviceName: 'sluice-kafka-gateway',
  persistentKeys: { cluster: config.clusterId },
})
const clients = createAwsClients()
const gateway = await startConfiguredGateway({
  config,
  clients,
  services: createServices(awsStorage(clients, config.names)),
  // Every interface: the load balancer reaches the task on its own address.
  host: '0.0.0.0',
  onConnectionClosed: (reason, error) => {
    // A load balancer's TCP health check resets its connection every few seconds.
    const reset = (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET'
    logger[reset ? 'debug' : 'warn']('Closed a connection', { reason, error })
  },
})
logger.info('Serving Kafka clients', {
  port: gateway.port,
  advertised: `${config.kafka.advertisedHost}:${config.kafka.advertisedPort ?? gateway.port}`,
  auth: config.kafka.auth,
})

let stopping = false
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return
  stopping = true
  logger.info('Draining connections', { signal, drainMs: config.kafka.drainMs })
  const drained = await Promise.race([
    gateway.drain().then(() => true),
    sleep(config.kafka.drainMs, false, { ref: false }),
  ])
  if (!drained) logger.warn('Closing connections that did not drain in time')
  await gateway.close()
  logger.info('Stopped')
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
