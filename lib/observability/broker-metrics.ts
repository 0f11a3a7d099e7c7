import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import type { BrokerMetrics } from '../broker/broker-metrics.ts'
import { METRIC } from './metric-names.ts'

/** The broker's counters as CloudWatch metrics, published with the invocation's other metrics. */
export function cloudWatchBrokerMetrics(metrics: Metrics): BrokerMetrics {
  return {
    recordsProduced: (count) => metrics.addMetric(METRIC.recordsProduced, MetricUnit.Count, count),
    recordsRead: (count) => metrics.addMetric(METRIC.recordsRead, MetricUnit.Count, count),
    commitConflict: () => metrics.addMetric(METRIC.commitConflicts, MetricUnit.Count, 1),
  }
}
