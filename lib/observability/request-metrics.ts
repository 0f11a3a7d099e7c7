import { MetricUnit } from '@aws-lambda-powertools/metrics'
import type { MiddlewareHandler } from 'hono'
import { METRIC } from './metric-names.ts'
import type { Observability } from './powertools.ts'

export type Operation = 'produce' | 'read' | 'admin'

const OPERATION_METRICS = {
  produce: { count: METRIC.produceRequests, latency: METRIC.produceLatency },
  read: { count: METRIC.readRequests, latency: METRIC.readLatency },
  admin: { count: METRIC.adminRequests, latency: METRIC.adminLatency },
} as const satisfies Record<Operation, { count: string; latency: string }>

/** v3 `.../records` and `.../records:batch`; v2 `/topics/{t}` and `/topics/{t}/partitions/{p}`. */
const PRODUCE_PATH = /(\/records(:batch)?$)|(^\/topics\/[^/]+(\/partitions\/[^/]+)?$)/
/** v3 partition reads and v2 consumer-instance reads alike end in `/records`. */
const READ_PATH = /\/records$/

/** Which dashboard line a request belongs on, from its method and path. */
export function operationOf(method: string, path: string): Operation {
  if (method === 'POST' && PRODUCE_PATH.test(path)) return 'produce'
  if (method === 'GET' && READ_PATH.test(path)) return 'read'
  return 'admin'
}

/**
 * Counts and times every request by operation, and counts error answers. It
 * runs outermost, so refused authentication and oversized bodies are counted
 * too: they are what an operator looks for when clients start failing.
 */
export function requestMetrics({ metrics, logger }: Observability): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const latencyMs = performance.now() - started
    const operation = operationOf(c.req.method, c.req.path)
    const { status } = c.res
    metrics.addMetric(OPERATION_METRICS[operation].count, MetricUnit.Count, 1)
    metrics.addMetric(OPERATION_METRICS[operation].latency, MetricUnit.Milliseconds, latencyMs)
    if (status >= 500) metrics.addMetric(METRIC.serverErrors, MetricUnit.Count, 1)
    else if (status >= 400) metrics.addMetric(METRIC.clientErrors, MetricUnit.Count, 1)
    logger.debug('request', {
      method: c.req.method,
      path: c.req.path,
      operation,
      status,
      latencyMs: Math.round(latencyMs),
    })
  }
}
