import { handle } from 'hono/aws-lambda'
import { ApiKeys } from '../lib/auth/api-keys.ts'
import { authModeFromEnv } from '../lib/auth/auth-mode.ts'
import { configFromEnv } from '../lib/config.ts'
import { createApp } from '../lib/http/app.ts'
import { apiKeyAuthentication, iamAuthentication } from '../lib/http/authenticate.ts'
import { cloudWatchBrokerMetrics } from '../lib/observability/broker-metrics.ts'
import { observedHandler } from '../lib/observability/lambda-handler.ts'
import { API_SERVICE } from '../lib/observability/metric-names.ts'
import { createObservability } from '../lib/observability/powertools.ts'
import { requestMetrics } from '../lib/observability/request-metrics.ts'
import { createServices } from '../lib/runtime/services.ts'
import { createAwsClients } from '../lib/storage/aws/clients.ts'
import { awsStorage } from '../lib/storage/aws/storage-engine.ts'

const config = configFromEnv()
const authMode = authModeFromEnv()
const observability = createObservability(API_SERVICE, config.clusterId)
const clients = createAwsClients()
observability.tracer.captureAWSv3Client(clients.dynamodb)
observability.tracer.captureAWSv3Client(clients.s3)
const brokerMetrics = cloudWatchBrokerMetrics(observability.metrics)

const app = createApp({
  ...createServices(awsStorage(clients, config.names), {
    appender: { metrics: brokerMetrics },
    reader: { metrics: brokerMetrics },
    maintenance: config.maintenance,
  }),
  clusterId: config.clusterId,
  maxRequestBytes: config.maxRequestBytes,
  maintenanceRunTasks: config.maintenanceRunTasks,
  observe: requestMetrics(observability),
  authenticate:
    authMode === 'iam'
      ? iamAuthentication()
      : apiKeyAuthentication(new ApiKeys(awsStorage(clients, config.names).apiKeys)),
})

/** Serves Lambda function URL and API Gateway HTTP API (payload 2.0) events alike. */
export const handler = observedHandler(handle(app), observability)
