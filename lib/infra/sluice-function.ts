import { fileURLToPath } from 'node:url'
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib'
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda'
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs'
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { ESM_REQUIRE_BANNER } from './esm-require-banner.ts'
import type { SluiceStorage } from './storage.ts'
import { grantStorageAccess, type StorageAccess, storageEnvironment } from './storage-access.ts'

/** The repository root: entries are given relative to it, and the lockfile lives there. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'

/** What every Sluice function of one installation shares. */
export interface FunctionSettings {
  readonly clusterId: string
  readonly logLevel: LogLevel
  readonly logRetention: RetentionDays
}

export interface SluiceFunctionProps extends FunctionSettings {
  /** The handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string
  readonly description: string
  readonly storage: SluiceStorage
  readonly access: StorageAccess
  readonly timeout: Duration
  readonly memorySize: number
  /** Powertools' service name: the `service` dimension of its metrics and the field in its logs. */
  readonly serviceName: string
  readonly environment?: Readonly<Record<string, string>>
}

/**
 * The same bundle the tests run: one ESM file with every dependency, the AWS
 * SDK included (versions pinned by our lockfile, not by the runtime's copy).
 */
const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  externalModules: [],
  // The local esbuild (a devDependency), never a Docker image: synth works offline.
  forceDockerBundling: false,
}

/**
 * One Sluice Lambda function: Node.js 22 on arm64, its own log group, JSON
 * logs, X-Ray tracing, the storage names in its environment and exactly the
 * access it is given.
 */
export class SluiceFunction extends Construct {
  readonly function: NodejsFunction
  readonly logGroup: LogGroup

  constructor(scope: Construct, id: string, props: SluiceFunctionProps) {
    super(scope, id)
    const { storage } = props
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    // An own role instead of AWSLambdaBasicExecutionRole: it may write to its
    // log group only, not create log groups anywhere.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
    })
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    )
    this.function = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}${props.entry}`,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      bundling: BUNDLING,
      environment: {
        SLUICE_CLUSTER_ID: props.clusterId,
        ...storageEnvironment(storage),
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        ...props.environment,
      },
    })
    grantStorageAccess(role, storage, props.access)
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to Node.js 22, the runtime the code is typed (@types/node 22) and tested for; a newer runtime is a deliberate upgrade.',
    })
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray takes trace segments only on Resource "*": it has no resource-level permissions.',
    })
  }
}
