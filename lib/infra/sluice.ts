import type { Duration, RemovalPolicy } from 'aws-cdk-lib'
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch'
import { RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import type { AuthMode } from '../auth/auth-mode.ts'
import { ConfigError } from '../config.ts'
import { SluiceApi } from './api.ts'
import { SluiceKafkaGateway, type SluiceKafkaProps } from './kafka-gateway.ts'
import { SluiceMonitoring } from './monitoring.ts'
import { ScheduledFunction, type ScheduledFunctionSpec } from './scheduled-function.ts'
import { SCHEDULED_FUNCTIONS, type ScheduledFunctionName } from './scheduled-functions.ts'
import type { FunctionSettings, LogLevel } from './sluice-function.ts'
import { SluiceStorage } from './storage.ts'

export interface SluiceProps {
  /** The cluster id in `/v3/clusters/{id}` paths; also names the dashboard. Default `sluice`. */
  readonly clusterId?: string
  /** How clients authenticate; there is no unauthenticated mode. Default `iam`. */
  readonly authMode?: AuthMode
  /** Log level of every function. Default `INFO`. */
  readonly logLevel?: LogLevel
  /** How long function logs are kept. Default one month. */
  readonly logRetention?: RetentionDays
  /** What deleting the stack does to the tables and the bucket. Default: keep them. */
  readonly removalPolicy?: RemovalPolicy
  /** DynamoDB deletion protection. Default: on, unless the removal policy destroys data. */
  readonly deletionProtection?: boolean
  /** How often each maintenance function runs, by name; unnamed ones keep their default rate. */
  readonly schedules?: Readonly<Partial<Record<ScheduledFunctionName, Duration>>>
  /** Largest request body the API accepts. Default 6 MiB, Lambda's own limit. */
  readonly maxRequestBytes?: number
  /** Memory of the API function in MB; CPU and network bandwidth grow with it. Default 1024. */
  readonly apiMemorySize?: number
  /** Actions every alarm triggers, e.g. an SNS topic action. Default: none. */
  readonly alarmActions?: readonly IAlarmAction[]
  /** Also serve Kafka's wire protocol (SASL_SSL) from Fargate behind a Network Load Balancer. Default: off. */
  readonly kafka?: SluiceKafkaProps
}

const CLUSTER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

/**
 * A complete Sluice installation: storage, the authenticated API, the
 * scheduled maintenance functions, and their dashboard and alarms. Usable from
 * any CDK app: `new Sluice(stack, 'Sluice', { authMode: 'api-key' })`.
 */
export class Sluice extends Construct {
  readonly clusterId: string
  readonly authMode: AuthMode
  readonly storage: SluiceStorage
  readonly api: SluiceApi
  readonly maintenance: Readonly<Partial<Record<ScheduledFunctionName, ScheduledFunction>>>
  readonly monitoring: SluiceMonitoring
  /** The Kafka gateway, when `kafka` is given. */
  readonly kafka: SluiceKafkaGateway | undefined

  constructor(scope: Construct, id: string, props: SluiceProps = {}) {
    super(scope, id)
    this.clusterId = props.clusterId ?? 'sluice'
    if (!CLUSTER_ID.test(this.clusterId)) {
      throw new ConfigError(
        `clusterId must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit; got '${this.clusterId}'.`,
      )
    }
    this.authMode = props.authMode ?? 'iam'
    // Widened: while the list is empty its element type is never.
    const specs: readonly ScheduledFunctionSpec[] = SCHEDULED_FUNCTIONS
    const known = new Set(specs.map((spec) => spec.name))
    for (const name of Object.keys(props.schedules ?? {})) {
      if (!known.has(name)) {
        throw new ConfigError(
          `schedules names '${name}', which is not a scheduled function; known: ${[...known].join(', ') || 'none'}.`,
        )
      }
    }
    const settings: FunctionSettings = {
      clusterId: this.clusterId,
      logLevel: props.logLevel ?? 'INFO',
      logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
    }

    this.storage = new SluiceStorage(this, 'Storage', {
      ...(props.removalPolicy !== undefined && { removalPolicy: props.removalPolicy }),
      ...(props.deletionProtection !== undefined && {
        deletionProtection: props.deletionProtection,
      }),
    })
    this.api = new SluiceApi(this, 'Api', {
      ...settings,
      storage: this.storage,
      authMode: this.authMode,
      memorySize: props.apiMemorySize ?? 1024,
      ...(props.maxRequestBytes !== undefined && { maxRequestBytes: props.maxRequestBytes }),
    })
    this.kafka =
      props.kafka &&
      new SluiceKafkaGateway(this, 'Kafka', {
        ...props.kafka,
        clusterId: this.clusterId,
        storage: this.storage,
        logLevel: settings.logLevel,
        logRetention: settings.logRetention,
      })
    const schedules: Partial<Record<string, Duration>> = props.schedules ?? {}
    const maintenance: Partial<Record<string, ScheduledFunction>> = {}
    for (const spec of specs) {
      maintenance[spec.name] = new ScheduledFunction(this, spec.name, {
        ...settings,
        spec,
        storage: this.storage,
        rate: schedules[spec.name] ?? spec.defaultRate,
      })
    }
    this.maintenance = maintenance
    this.monitoring = new SluiceMonitoring(this, 'Monitoring', {
      clusterId: this.clusterId,
      api: this.api.handler.function,
      maintenance: Object.fromEntries(
        Object.entries(maintenance).flatMap(([name, fn]) =>
          fn ? [[name, fn.handler.function]] : [],
        ),
      ),
      tables: this.storage.tables,
      ...(this.kafka && { kafka: this.kafka }),
      ...(props.alarmActions && { alarmActions: props.alarmActions }),
    })
  }
}
