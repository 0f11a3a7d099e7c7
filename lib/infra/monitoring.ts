import { Duration } from 'aws-cdk-lib'
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarmAction,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch'
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb'
import type { IFunction } from 'aws-cdk-lib/aws-lambda'
import { Construct } from 'constructs'
import {
  API_SERVICE,
  METRIC,
  METRIC_DIMENSIONS,
  METRICS_NAMESPACE,
  type MetricName,
} from '../observability/metric-names.ts'
import type { SluiceKafkaGateway } from './kafka-gateway.ts'

export interface SluiceMonitoringProps {
  readonly clusterId: string
  readonly api: IFunction
  /** The scheduled functions by name, each graphed and alarmed on its own. */
  readonly maintenance: Readonly<Record<string, IFunction>>
  readonly tables: Readonly<Record<string, TableV2>>
  /** The Kafka gateway, when deployed: graphed, and alarmed when no task serves. */
  readonly kafka?: SluiceKafkaGateway
  /** Where alarms notify (an SNS topic action, say); alarms exist and show on the console without. */
  readonly alarmActions?: readonly IAlarmAction[]
}

const PERIOD = Duration.minutes(1)
const ALARM_PERIOD = Duration.minutes(5)

/**
 * The dashboard (produce and read rates, latency, errors, throttles, commit
 * conflicts, maintenance work) and the alarms on errors and throttling.
 */
export class SluiceMonitoring extends Construct {
  readonly dashboard: Dashboard
  readonly alarms: readonly Alarm[]

  constructor(scope: Construct, id: string, props: SluiceMonitoringProps) {
    super(scope, id)
    const api = (name: MetricName, statistic = 'Sum') =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: {
          [METRIC_DIMENSIONS.service]: API_SERVICE,
          [METRIC_DIMENSIONS.cluster]: props.clusterId,
        },
        statistic,
        period: PERIOD,
      })
    // Expression ids must be unique within one graph, so they carry the table id.
    const tableThrottles = (tableId: string, table: TableV2, period: Duration) =>
      new MathExpression({
        expression: `${tableId}Reads + ${tableId}Writes`,
        usingMetrics: {
          [`${tableId}Reads`]: table.metric('ReadThrottleEvents', { statistic: 'Sum', period }),
          [`${tableId}Writes`]: table.metric('WriteThrottleEvents', { statistic: 'Sum', period }),
        },
        label: `${tableId} table throttle events`,
        period,
      })
    const maintenance = Object.entries(props.maintenance)

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `sluice-${props.clusterId}`,
      defaultInterval: Duration.hours(3),
    })
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 12, height: 6 })
    this.dashboard.addWidgets(
      graph(
        'Records per minute',
        [api(METRIC.recordsProduced), api(METRIC.recordsRead)],
        [api(METRIC.produceRequests), api(METRIC.readRequests), api(METRIC.adminRequests)],
      ),
      graph('Latency (ms): p50 and p99', [
        api(METRIC.produceLatency, 'p50'),
        api(METRIC.produceLatency, 'p99'),
        api(METRIC.readLatency, 'p50'),
        api(METRIC.readLatency, 'p99'),
        api(METRIC.adminLatency, 'p99'),
      ]),
      graph(
        'Errors',
        [api(METRIC.clientErrors), api(METRIC.serverErrors)],
        [props.api.metricErrors({ period: PERIOD, label: 'API function errors' })],
      ),
      graph('Throttles', [
        props.api.metricThrottles({ period: PERIOD, label: 'API function throttles' }),
        ...Object.entries(props.tables).map(([tableId, table]) =>
          tableThrottles(tableId, table, PERIOD),
        ),
      ]),
      graph(
        'Commit conflicts (retried) and API concurrency',
        [api(METRIC.commitConflicts)],
        [props.api.metric('ConcurrentExecutions', { statistic: 'Maximum', period: PERIOD })],
      ),
      maintenance.length > 0
        ? graph(
            'Maintenance runs and duration',
            maintenance.map(([name, fn]) => fn.metricInvocations({ label: `${name} runs` })),
            maintenance.map(([name, fn]) =>
              fn.metricDuration({ statistic: 'Maximum', label: `${name} duration (max)` }),
            ),
          )
        : new TextWidget({
            markdown: 'No maintenance functions are deployed.',
            width: 12,
            height: 6,
          }),
    )
    const { kafka } = props
    if (kafka) {
      this.dashboard.addWidgets(
        graph(
          'Kafka gateway: healthy tasks and connections',
          [kafka.targetGroup.metrics.healthyHostCount({ period: PERIOD, statistic: 'Minimum' })],
          [kafka.loadBalancer.metrics.activeFlowCount({ period: PERIOD, statistic: 'Maximum' })],
        ),
        graph('Kafka gateway: CPU and memory (%)', [
          kafka.service.metricCpuUtilization({ period: PERIOD }),
          kafka.service.metricMemoryUtilization({ period: PERIOD }),
        ]),
      )
    }

    const alarm = (
      id: string,
      metric: IMetric,
      threshold: number,
      description: string,
      comparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    ) => {
      const created = new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      })
      for (const action of props.alarmActions ?? []) created.addAlarmAction(action)
      return created
    }
    const sum5 = { period: ALARM_PERIOD, statistic: 'Sum' } as const
    this.alarms = [
      alarm(
        'ApiServerErrors',
        api(METRIC.serverErrors).with(sum5),
        5,
        'The API answered 5xx at least 5 times in 5 minutes: storage failing or contended past the retry budget.',
      ),
      alarm(
        'ApiFunctionErrors',
        props.api.metricErrors(sum5),
        1,
        'The API function failed outright (crash, timeout or init error) at least once in 5 minutes.',
      ),
      alarm(
        'ApiThrottles',
        props.api.metricThrottles(sum5),
        1,
        'Lambda throttled the API: the account or function concurrency limit was reached.',
      ),
      ...Object.entries(props.tables).map(([tableId, table]) =>
        alarm(
          `${tableId}Throttles`,
          tableThrottles(tableId, table, ALARM_PERIOD),
          1,
          `DynamoDB throttled requests to the ${tableId} table (a hot partition key or an account limit).`,
        ),
      ),
      ...maintenance.map(([name, fn]) =>
        alarm(
          `${name}Failures`,
          new MathExpression({
            expression: 'errors + throttles',
            usingMetrics: { errors: fn.metricErrors(sum5), throttles: fn.metricThrottles(sum5) },
            period: ALARM_PERIOD,
          }),
          1,
          `The scheduled ${name} function failed or was throttled.`,
        ),
      ),
      ...(kafka
        ? [
            alarm(
              'KafkaNoHealthyTasks',
              kafka.targetGroup.metrics.healthyHostCount({
                period: PERIOD,
                statistic: 'Minimum',
              }),
              1,
              'No Kafka gateway task passed the load balancer health check for a minute: Kafka clients cannot connect.',
              ComparisonOperator.LESS_THAN_THRESHOLD,
            ),
          ]
        : []),
    ]
  }
}
