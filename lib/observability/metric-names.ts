/**
 * The CloudWatch metrics Sluice emits, named once: the handlers write them in
 * Embedded Metric Format and the CDK dashboard and alarms read them back, so a
 * renamed metric cannot leave a dashboard graphing nothing.
 */

export const METRICS_NAMESPACE = 'Sluice'

/** Dimension names on every metric: the emitting service and the cluster it serves. */
export const METRIC_DIMENSIONS = { service: 'service', cluster: 'cluster' } as const

/** The service dimension's value for the API function. */
export const API_SERVICE = 'sluice-api'

export const METRIC = {
  /** Records acknowledged to producers. */
  recordsProduced: 'RecordsProduced',
  /** Records returned to readers. */
  recordsRead: 'RecordsRead',
  /** Commits that lost a race for a partition head and were retried. */
  commitConflicts: 'CommitConflicts',
  produceRequests: 'ProduceRequests',
  produceLatency: 'ProduceLatency',
  readRequests: 'ReadRequests',
  readLatency: 'ReadLatency',
  adminRequests: 'AdminRequests',
  adminLatency: 'AdminLatency',
  /** Requests answered 4xx, refused authentication included. */
  clientErrors: 'ClientErrors',
  /** Requests answered 5xx. */
  serverErrors: 'ServerErrors',
} as const

export type MetricName = (typeof METRIC)[keyof typeof METRIC]
