import { fileURLToPath } from 'node:url'
import { Aws, Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib'
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager'
import {
  FlowLogDestination,
  GatewayVpcEndpointAwsService,
  type IPeer,
  type IVpc,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2'
import { Platform } from 'aws-cdk-lib/aws-ecr-assets'
import {
  Cluster,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  FargateService,
  FargateTaskDefinition,
  type ICluster,
  LogDrivers,
  OperatingSystemFamily,
} from 'aws-cdk-lib/aws-ecs'
import {
  ListenerCertificate,
  NetworkLoadBalancer,
  type NetworkTargetGroup,
  Protocol,
  SslPolicy,
} from 'aws-cdk-lib/aws-elasticloadbalancingv2'
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs'
import { ARecord, type IHostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53'
import { LoadBalancerTarget } from 'aws-cdk-lib/aws-route53-targets'
import type { IBucket } from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { ConfigError } from '../config.ts'
import type { LogLevel } from './sluice-function.ts'
import type { SluiceStorage } from './storage.ts'
import { grantStorageAccess, type StorageAccess, storageEnvironment } from './storage-access.ts'

/** The build context of the image: the repository root, filtered by its .dockerignore. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Where the gateway listens inside the task; clients never see it. */
const CONTAINER_PORT = 9092

/**
 * Fargate's CPU units and the memory (MiB) each allows. More than two vCPUs
 * buys little: the gateway runs JavaScript on one thread, so it scales out in
 * tasks rather than up.
 */
export type KafkaTaskSize =
  | { readonly cpu: 256; readonly memoryMiB: 512 | 1024 | 2048 }
  | { readonly cpu: 512; readonly memoryMiB: 1024 | 2048 | 3072 | 4096 }
  | {
      readonly cpu: 1024
      readonly memoryMiB: 2048 | 3072 | 4096 | 5120 | 6144 | 7168 | 8192
    }
  | {
      readonly cpu: 2048
      readonly memoryMiB:
        | 4096
        | 5120
        | 6144
        | 7168
        | 8192
        | 9216
        | 10240
        | 11264
        | 12288
        | 13312
        | 14336
        | 15360
        | 16384
    }

/** A fixed number of tasks, or a range scaled on average CPU. */
export type KafkaTaskCount =
  | { readonly count: number }
  | { readonly min: number; readonly max: number; readonly targetCpuPercent?: number }

export interface SluiceKafkaProps {
  /**
   * The DNS name Kafka clients connect to, and the one broker address every
   * task advertises in Metadata. Clients check the TLS certificate against
   * it, so it must be a name on `certificate`; the load balancer's own DNS
   * name never is. It must resolve to the load balancer: give `hostedZone`,
   * or point a CNAME at the KafkaLoadBalancerDnsName output.
   */
  readonly advertisedHost: string
  /** The ACM certificate (in the stack's region) the TLS listener presents; it covers `advertisedHost`. */
  readonly certificate: Pick<ICertificate, 'certificateArn'>
  /** When given, an alias record for `advertisedHost` pointing at the load balancer is made in this zone. */
  readonly hostedZone?: IHostedZone
  /** The listener's port, which Metadata advertises too. Default 9092. */
  readonly port?: number
  /** Default `internet-facing`; `internal` serves clients inside the VPC (or peered with it) only. */
  readonly scheme?: 'internet-facing' | 'internal'
  /**
   * Who may connect. Default: any IPv4 address when internet-facing, the
   * VPC's CIDR when internal. SASL/PLAIN with an API key is required either way.
   */
  readonly allowedClients?: readonly IPeer[]
  /**
   * Where the tasks and the load balancer run. It needs private subnets with
   * egress (to pull the image and write logs) and, when internet-facing,
   * public ones. Default: a new VPC over two zones with one NAT gateway, and
   * free gateway endpoints that keep S3 and DynamoDB traffic off the NAT.
   */
  readonly vpc?: IVpc
  /** Default 1 vCPU, 2 GiB. */
  readonly taskSize?: KafkaTaskSize
  /** Default two tasks, one per zone in the default VPC. */
  readonly tasks?: KafkaTaskCount
}

export interface SluiceKafkaGatewayProps extends SluiceKafkaProps {
  readonly clusterId: string
  readonly storage: SluiceStorage
  readonly logLevel: LogLevel
  readonly logRetention: RetentionDays
}

/**
 * What the gateway's code paths touch: topics (admin), partition heads and
 * the segment index (produce and fetch), idempotent producers' ids and
 * sequences, consumer groups and their offsets, and the API keys it checks
 * SASL/PLAIN against; objects it writes and reads. Not the registry, leases
 * or v2 consumer instances, which only the HTTP API and maintenance use
 * (test/integration/kafka/gateway-access.test.ts records what a full client
 * session touches and holds it to this list).
 */
export const KAFKA_GATEWAY_ACCESS: StorageAccess = {
  tables: {
    topics: 'read-write',
    partitions: 'read-write',
    segments: 'read-write',
    groups: 'read-write',
    groupOffsets: 'read-write',
    producers: 'read-write',
    apiKeys: 'read',
  },
  bucket: ['read', 'put'],
}

/** Bucket's optional isWebsite does not satisfy IBucket under exactOptionalPropertyTypes. */
function accessLogs(storage: SluiceStorage): IBucket {
  return storage.accessLogs as IBucket
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i

/** ECS sends SIGTERM, waits this long, then SIGKILL; the gateway drains for most of it. */
const STOP_TIMEOUT = Duration.seconds(30)
const DRAIN_MARGIN = Duration.seconds(5)

function checkProps(props: SluiceKafkaProps, tasks: KafkaTaskCount, port: number): void {
  if (!Token.isUnresolved(props.advertisedHost) && !HOST_NAME.test(props.advertisedHost)) {
    throw new ConfigError(
      `kafka.advertisedHost must be a DNS name, such as kafka.example.com; got '${props.advertisedHost}'.`,
    )
  }
  const zone = props.hostedZone?.zoneName
  if (
    zone !== undefined &&
    !Token.isUnresolved(zone) &&
    !Token.isUnresolved(props.advertisedHost)
  ) {
    const host = props.advertisedHost.toLowerCase()
    const apex = zone.replace(/\.$/, '').toLowerCase()
    if (host !== apex && !host.endsWith(`.${apex}`)) {
      throw new ConfigError(
        `kafka.advertisedHost '${props.advertisedHost}' is not in the hosted zone '${zone}'.`,
      )
    }
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`kafka.port must be a TCP port, 1 to 65535; got ${port}.`)
  }
  const counts = 'count' in tasks ? [tasks.count] : [tasks.min, tasks.max]
  if (counts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new ConfigError(`kafka.tasks must count at least one task; got ${JSON.stringify(tasks)}.`)
  }
  if ('max' in tasks) {
    if (tasks.max < tasks.min) {
      throw new ConfigError(`kafka.tasks.max (${tasks.max}) is below min (${tasks.min}).`)
    }
    const target = tasks.targetCpuPercent
    if (target !== undefined && !(target > 0 && target < 100)) {
      throw new ConfigError(
        `kafka.tasks.targetCpuPercent must be above 0 and below 100; got ${target}.`,
      )
    }
  }
}

/**
 * The Kafka wire-protocol gateway on Fargate (Graviton): tasks in private
 * subnets without public addresses, behind a Network Load Balancer whose TLS
 * listener presents the given certificate and forwards plain TCP to them.
 * Clients authenticate with SASL/PLAIN and an API key. Every task answers as
 * the same single broker at `advertisedHost`, so a client's every connection
 * goes through the load balancer, to whichever task it picks; state lives in
 * the same tables and bucket the HTTP API uses.
 */
export class SluiceKafkaGateway extends Construct {
  readonly vpc: IVpc
  readonly cluster: Cluster
  readonly service: FargateService
  readonly loadBalancer: NetworkLoadBalancer
  /** The tasks behind the listener; its healthy host count says how many serve. */
  readonly targetGroup: NetworkTargetGroup
  readonly logGroup: LogGroup
  /** `host:port`, as clients' bootstrap.servers want it. */
  readonly bootstrap: string

  constructor(scope: Construct, id: string, props: SluiceKafkaGatewayProps) {
    super(scope, id)
    const { storage } = props
    const port = props.port ?? 9092
    const tasks = props.tasks ?? { count: 2 }
    const size = props.taskSize ?? { cpu: 1024, memoryMiB: 2048 }
    checkProps(props, tasks, port)
    const internetFacing = (props.scheme ?? 'internet-facing') === 'internet-facing'
    this.bootstrap = `${props.advertisedHost}:${port}`

    this.vpc = props.vpc ?? this.createVpc(storage)
    this.cluster = new Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ContainerInsights.ENABLED,
    })

    const taskDefinition = new FargateTaskDefinition(this, 'Task', {
      cpu: size.cpu,
      memoryLimitMiB: size.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: CpuArchitecture.ARM64,
        operatingSystemFamily: OperatingSystemFamily.LINUX,
      },
    })
    grantStorageAccess(taskDefinition.taskRole, storage, KAFKA_GATEWAY_ACCESS)
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    const container = taskDefinition.addContainer('Gateway', {
      image: ContainerImage.fromAsset(PROJECT_ROOT, { platform: Platform.LINUX_ARM64 }),
      portMappings: [{ containerPort: CONTAINER_PORT }],
      logging: LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'kafka' }),
      readonlyRootFilesystem: true,
      stopTimeout: STOP_TIMEOUT,
      environment: {
        SLUICE_CLUSTER_ID: props.clusterId,
        ...storageEnvironment(storage),
        SLUICE_KAFKA_PORT: String(CONTAINER_PORT),
        SLUICE_KAFKA_ADVERTISED_HOST: props.advertisedHost,
        SLUICE_KAFKA_ADVERTISED_PORT: String(port),
        SLUICE_KAFKA_AUTH: 'sasl-plain',
        SLUICE_KAFKA_DRAIN_MS: String(STOP_TIMEOUT.minus(DRAIN_MARGIN).toMilliseconds()),
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        // The heap sized to the task outright, leaving a quarter for buffers and sockets outside it.
        NODE_OPTIONS: `--max-old-space-size=${Math.floor(size.memoryMiB * 0.75)}`,
      },
    })
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The environment holds table and bucket names, the advertised host and the auth mode: configuration, not secrets. The gateway holds no secret; API keys are checked against hashes in DynamoDB.',
    })
    const executionRole = taskDefinition.obtainExecutionRole()
    Validations.of(executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken, which pulling the image needs, has no resource-level permissions; the pull itself is limited to the asset repository.',
    })

    this.service = new FargateService(this, 'Service', {
      // Cluster's optional defaultCloudMapNamespace does not satisfy ICluster under exactOptionalPropertyTypes.
      cluster: this.cluster as ICluster,
      taskDefinition,
      assignPublicIp: false,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      // With autoscaling the scalable target owns the count; a deploy must not reset it.
      ...('count' in tasks && { desiredCount: tasks.count }),
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(30),
    })
    if ('max' in tasks) {
      this.service
        .autoScaleTaskCount({ minCapacity: tasks.min, maxCapacity: tasks.max })
        .scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: tasks.targetCpuPercent ?? 60 })
    }

    const loadBalancerGroup = new SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: this.vpc,
      description: `Kafka clients to the Sluice gateway TLS listener on ${port}`,
      allowAllOutbound: false,
    })
    const clients = props.allowedClients ?? [
      internetFacing ? Peer.anyIpv4() : Peer.ipv4(this.vpc.vpcCidrBlock),
    ]
    for (const peer of clients) {
      loadBalancerGroup.addIngressRule(peer, Port.tcp(port), 'Kafka clients (SASL_SSL)')
    }
    if (internetFacing && props.allowedClients === undefined) {
      Validations.of(loadBalancerGroup).acknowledge({
        id: 'AwsSolutions-EC23',
        reason:
          'A public Kafka endpoint: TLS protects every connection and SASL/PLAIN with an API key authenticates it; allowedClients narrows it.',
      })
    }
    this.loadBalancer = new NetworkLoadBalancer(this, 'LoadBalancer', {
      vpc: this.vpc,
      internetFacing,
      vpcSubnets: {
        subnetType: internetFacing ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS,
      },
      securityGroups: [loadBalancerGroup],
      crossZoneEnabled: true,
    })
    this.logAccess(storage)
    const listener = this.loadBalancer.addListener('Tls', {
      port,
      protocol: Protocol.TLS,
      certificates: [ListenerCertificate.fromArn(props.certificate.certificateArn)],
      sslPolicy: SslPolicy.RECOMMENDED_TLS,
    })
    this.targetGroup = listener.addTargets('Gateway', {
      port: CONTAINER_PORT,
      protocol: Protocol.TCP,
      targets: [
        this.service.loadBalancerTarget({
          containerName: container.containerName,
          containerPort: CONTAINER_PORT,
        }),
      ],
      // A task that accepts connections is serving; its storage is shared by all of them.
      healthCheck: {
        protocol: Protocol.TCP,
        interval: Duration.seconds(10),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 2,
      },
      // The task drains its own connections on SIGTERM, which ECS sends once this delay is over.
      deregistrationDelay: Duration.seconds(10),
      // Connections reach a task from the load balancer's address, which the task's group admits.
      preserveClientIp: false,
    })
    this.service.connections.allowFrom(
      this.loadBalancer,
      Port.tcp(CONTAINER_PORT),
      'Kafka traffic and health checks from the load balancer',
    )

    if (props.hostedZone) {
      new ARecord(this, 'Alias', {
        zone: props.hostedZone,
        recordName: props.advertisedHost,
        target: RecordTarget.fromAlias(new LoadBalancerTarget(this.loadBalancer)),
      })
    }
  }

  private createVpc(storage: SluiceStorage): IVpc {
    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'tasks', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      gatewayEndpoints: {
        s3: { service: GatewayVpcEndpointAwsService.S3 },
        dynamodb: { service: GatewayVpcEndpointAwsService.DYNAMODB },
      },
      flowLogs: {
        toAccessLogs: {
          destination: FlowLogDestination.toS3(accessLogs(storage), 'vpc-flow-logs/'),
        },
      },
    })
    // Vpc's optional vpnGatewayId does not satisfy IVpc under exactOptionalPropertyTypes.
    return vpc as IVpc
  }

  /**
   * TLS listener access logs into the access-log bucket. Written out rather
   * than through logAccessLogs, which needs a concrete region to pick a
   * principal; network load balancers deliver through delivery.logs for all.
   */
  private logAccess(storage: SluiceStorage): void {
    const prefix = 'kafka-nlb'
    this.loadBalancer.setAttribute('access_logs.s3.enabled', 'true')
    this.loadBalancer.setAttribute('access_logs.s3.bucket', storage.accessLogs.bucketName)
    this.loadBalancer.setAttribute('access_logs.s3.prefix', prefix)
    const principal = new ServicePrincipal('delivery.logs.amazonaws.com')
    const conditions = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
    }
    storage.accessLogs.addToResourcePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        principals: [principal],
        resources: [storage.accessLogs.arnForObjects(`${prefix}/AWSLogs/${Aws.ACCOUNT_ID}/*`)],
        conditions: {
          ...conditions,
          StringEquals: {
            ...conditions.StringEquals,
            's3:x-amz-acl': 'bucket-owner-full-control',
          },
        },
      }),
    )
    storage.accessLogs.addToResourcePolicy(
      new PolicyStatement({
        actions: ['s3:GetBucketAcl'],
        principals: [principal],
        resources: [storage.accessLogs.bucketArn],
        conditions,
      }),
    )
    // The bucket policy must exist before the load balancer checks it can write there.
    const policy = storage.accessLogs.policy
    if (policy) this.loadBalancer.node.addDependency(policy)
  }
}
