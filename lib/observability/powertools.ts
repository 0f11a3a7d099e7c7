import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { Tracer } from '@aws-lambda-powertools/tracer'
import { METRIC_DIMENSIONS, METRICS_NAMESPACE } from './metric-names.ts'

/** The three Powertools utilities one Lambda function shares between its requests. */
export interface Observability {
  readonly logger: Logger
  readonly metrics: Metrics
  readonly tracer: Tracer
}

/**
 * Powertools for one function. Log level and sampling come from the
 * environment the stack sets (POWERTOOLS_LOG_LEVEL); tracing switches itself
 * off outside Lambda, so the same bundle runs on a laptop.
 */
export function createObservability(service: string, clusterId: string): Observability {
  return {
    logger: new Logger({ serviceName: service, persistentKeys: { cluster: clusterId } }),
    metrics: new Metrics({
      namespace: METRICS_NAMESPACE,
      serviceName: service,
      defaultDimensions: { [METRIC_DIMENSIONS.cluster]: clusterId },
    }),
    tracer: new Tracer({ serviceName: service }),
  }
}
