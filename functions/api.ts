import { handle } from 'hono/aws-lambda'
import { createBroker } from '../lib/broker/broker.ts'
import { configFromEnv } from '../lib/config.ts'
import { createApp } from '../lib/http/app.ts'
import { createAwsClients } from '../lib/storage/aws-clients.ts'

const config = configFromEnv()

export const handler = handle(
  createApp({
    broker: createBroker(createAwsClients(), config.names),
    clusterId: config.clusterId,
    maxRequestBytes: config.maxRequestBytes,
  }),
)
