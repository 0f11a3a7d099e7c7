import type { CfnElement } from 'aws-cdk-lib'
import { Stack } from 'aws-cdk-lib'
import { Match } from 'aws-cdk-lib/assertions'
import { type IVpc, Vpc } from 'aws-cdk-lib/aws-ec2'
import { HostedZone } from 'aws-cdk-lib/aws-route53'
import type { IConstruct } from 'constructs'
import { describe, expect, it } from 'vitest'
import type { SluiceKafkaProps } from '../../lib/infra/kafka-gateway.ts'
import { Sluice, type SluiceProps } from '../../lib/infra/sluice.ts'
import { SluiceStack } from '../../lib/infra/sluice-stack.ts'
import type { TableId } from '../../lib/storage/tables.ts'
import {
  actionsOf,
  allowedStatements,
  assemblyDir,
  type Json,
  referenced,
  resourcesOf,
  templateOf,
  testApp,
} from './synth.ts'

const outdir = assemblyDir()
const CERTIFICATE =
  'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab'
const KAFKA: SluiceKafkaProps = {
  advertisedHost: 'kafka.example.com',
  certificate: { certificateArn: CERTIFICATE },
}

function synth(props: SluiceProps = { kafka: KAFKA }) {
  const app = testApp(outdir)
  const stack = new SluiceStack(app, 'Test', { sluice: props })
  const id = (construct: IConstruct) =>
    stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)) as string
  return { stack, template: templateOf(stack), id, sluice: stack.sluice }
}

function only(resources: Record<string, Json>): Json {
  const values = Object.values(resources)
  expect(values).toHaveLength(1)
  return values[0].Properties
}

/** The container's environment as a plain record. */
function environment(taskDefinition: Json): Record<string, Json> {
  const [container] = taskDefinition.ContainerDefinitions
  return Object.fromEntries(
    container.Environment.map((variable: Json) => [variable.Name, variable.Value]),
  )
}

describe('the Kafka gateway on Fargate', () => {
  it('is off unless asked for: no cluster, service, load balancer, VPC or image', () => {
    const { template, sluice } = synth({})
    expect(sluice.kafka).toBeUndefined()
    for (const type of [
      'AWS::ECS::Cluster',
      'AWS::ECS::Service',
      'AWS::ECS::TaskDefinition',
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'AWS::ElasticLoadBalancingV2::Listener',
      'AWS::EC2::VPC',
      'AWS::EC2::SecurityGroup',
    ]) {
      template.resourceCountIs(type, 0)
    }
    expect(Object.keys(template.toJSON().Outputs)).not.toContain('KafkaBootstrap')
  })

  it('runs the bundled gateway on ARM64 Fargate, configured for SASL/PLAIN behind the load balancer', () => {
    const { template, id, sluice } = synth()
    const task = only(template.findResources('AWS::ECS::TaskDefinition'))
    expect(task).toMatchObject({
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      Cpu: '1024',
      Memory: '2048',
    })
    const [container] = task.ContainerDefinitions
    expect(container).toMatchObject({
      PortMappings: [{ ContainerPort: 9092, Protocol: 'tcp' }],
      ReadonlyRootFilesystem: true,
      StopTimeout: 30,
      LogConfiguration: { LogDriver: 'awslogs' },
    })
    expect(referenced(container.LogConfiguration.Options['awslogs-group'])).toBe(
      id(sluice.kafka?.logGroup as IConstruct),
    )
    const variables = environment(task)
    expect(variables).toMatchObject({
      SLUICE_CLUSTER_ID: 'sluice',
      SLUICE_KAFKA_PORT: '9092',
      SLUICE_KAFKA_ADVERTISED_HOST: 'kafka.example.com',
      SLUICE_KAFKA_ADVERTISED_PORT: '9092',
      SLUICE_KAFKA_AUTH: 'sasl-plain',
      // Drained before ECS's SIGKILL at the 30 s stop timeout.
      SLUICE_KAFKA_DRAIN_MS: '25000',
    })
    expect(referenced(variables.SLUICE_BUCKET)).toBe(id(sluice.storage.bucket))
    expect(referenced(variables.SLUICE_API_KEYS_TABLE)).toBe(id(sluice.storage.tables.apiKeys))
    // The image: the repository's Dockerfile, built for arm64 and pushed to the asset repository at deploy.
    expect(JSON.stringify(container.Image)).toMatch(/container-assets/)
  })

  it('puts tasks in private subnets without public IPs, reachable only from the load balancer', () => {
    const { template, id, sluice } = synth()
    const service = only(template.findResources('AWS::ECS::Service'))
    expect(service).toMatchObject({ LaunchType: 'FARGATE', DesiredCount: 2 })
    const network = service.NetworkConfiguration.AwsvpcConfiguration
    expect(network.AssignPublicIp).toBe('DISABLED')
    const vpc = sluice.kafka?.vpc as Vpc
    const privateIds = vpc.privateSubnets.map((subnet) => id(subnet))
    expect(network.Subnets.map(referenced).sort()).toEqual([...privateIds].sort())

    const [taskGroup] = network.SecurityGroups.map(referenced)
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress') as Json)
      .map((rule: Json) => rule.Properties)
      .filter((rule: Json) => referenced(rule.GroupId) === taskGroup)
    const loadBalancerGroup = id(
      sluice.kafka?.node.findChild('LoadBalancerSecurityGroup') as IConstruct,
    )
    expect(ingress).toEqual([
      expect.objectContaining({ FromPort: 9092, ToPort: 9092, IpProtocol: 'tcp' }),
    ])
    expect(referenced(ingress[0].SourceSecurityGroupId)).toBe(loadBalancerGroup)
    const groups = template.findResources('AWS::EC2::SecurityGroup') as Json
    expect(groups[taskGroup].Properties.SecurityGroupIngress).toBeUndefined()
  })

  it('terminates TLS with the given certificate and forwards TCP to the gateway port, health-checked on it', () => {
    const { template, id, sluice } = synth()
    const listener = only(template.findResources('AWS::ElasticLoadBalancingV2::Listener'))
    expect(listener).toMatchObject({
      Protocol: 'TLS',
      Port: 9092,
      Certificates: [{ CertificateArn: CERTIFICATE }],
      // TLS 1.3 and 1.2, as the console's recommended policy.
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    })
    const group = only(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))
    expect(group).toMatchObject({
      Protocol: 'TCP',
      Port: 9092,
      TargetType: 'ip',
      HealthCheckProtocol: 'TCP',
    })
    expect(group.HealthCheckPort ?? 'traffic-port').toBe('traffic-port')
    expect(group.TargetGroupAttributes).toEqual(
      expect.arrayContaining([{ Key: 'preserve_client_ip.enabled', Value: 'false' }]),
    )
    const balancer = only(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))
    expect(balancer).toMatchObject({ Type: 'network', Scheme: 'internet-facing' })
    const attributes = Object.fromEntries(
      balancer.LoadBalancerAttributes.map((a: Json) => [a.Key, a.Value]),
    )
    expect(attributes['access_logs.s3.enabled']).toBe('true')
    expect(referenced(attributes['access_logs.s3.bucket'])).toBe(id(sluice.storage.accessLogs))
    const outputs = template.toJSON().Outputs
    expect(outputs.KafkaBootstrap.Value).toBe('kafka.example.com:9092')
    expect(referenced(outputs.KafkaLoadBalancerDnsName.Value)).toBe(
      id(sluice.kafka?.loadBalancer as IConstruct),
    )
  })

  it('gives the task role the gateway tables and the bucket objects, nothing else and no "*"', () => {
    const { template, id, sluice, stack } = synth()
    const task = only(template.findResources('AWS::ECS::TaskDefinition'))
    const role = referenced(task.TaskRoleArn) as string
    const statements = allowedStatements(template, role)
    const tableOf = new Map(
      Object.entries(sluice.storage.tables).map(([tableId, table]) => [id(table), tableId]),
    )
    const onTable: Partial<Record<string, Set<string>>> = {}
    const onBucket = new Set<string>()
    for (const statement of statements) {
      for (const resource of resourcesOf(statement)) {
        expect(resource).not.toBe('*')
        const target = referenced(resource)
        const tableId = target && tableOf.get(target)
        if (tableId) {
          const actions = onTable[tableId] ?? new Set()
          for (const action of actionsOf(statement)) actions.add(action)
          onTable[tableId] = actions
        } else {
          expect(target).toBe(id(sluice.storage.bucket))
          // Objects only: the bucket ARN followed by /*.
          expect(stack.resolve(resource)['Fn::Join'][1].at(-1)).toBe('/*')
          for (const action of actionsOf(statement)) onBucket.add(action)
        }
      }
    }
    // Not the registry, leases or v2 consumer instances: no gateway code path reads them.
    expect(Object.keys(onTable).sort()).toEqual([
      'apiKeys',
      'groupOffsets',
      'groups',
      'partitions',
      'producers',
      'segments',
      'topics',
    ] satisfies TableId[])
    const keyActions = [...(onTable.apiKeys ?? [])]
    expect(keyActions).toContain('dynamodb:GetItem')
    expect(keyActions.filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([])
    expect(onTable.segments).toContain('dynamodb:PutItem')
    expect(onBucket).toEqual(new Set(['s3:GetObject', 's3:PutObject']))

    // The execution role pulls the image and writes the log group; only the ECR token is on "*".
    const execution = referenced(task.ExecutionRoleArn) as string
    for (const statement of allowedStatements(template, execution)) {
      if (resourcesOf(statement).includes('*')) {
        expect(actionsOf(statement)).toEqual(['ecr:GetAuthorizationToken'])
      }
    }
  })

  it('creates a VPC with S3 and DynamoDB gateway endpoints and one NAT gateway, unless given one', () => {
    const { template } = synth()
    template.resourceCountIs('AWS::EC2::VPC', 1)
    template.resourceCountIs('AWS::EC2::NatGateway', 1)
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint') as Json).map(
      (endpoint: Json) => endpoint.Properties,
    )
    expect(endpoints.map((e: Json) => e.VpcEndpointType)).toEqual(['Gateway', 'Gateway'])
    expect(endpoints.map((e: Json) => JSON.stringify(e.ServiceName)).sort()).toEqual([
      expect.stringContaining('.dynamodb'),
      expect.stringContaining('.s3'),
    ])
    template.resourceCountIs('AWS::EC2::FlowLog', 1)

    const app = testApp(outdir)
    const stack = new Stack(app, 'Given')
    // Vpc's optional vpnGatewayId does not satisfy IVpc under exactOptionalPropertyTypes.
    const vpc = new Vpc(stack, 'Existing', { maxAzs: 2 }) as IVpc
    const sluice = new Sluice(stack, 'Sluice', { kafka: { ...KAFKA, vpc } })
    const given = templateOf(stack)
    given.resourceCountIs('AWS::EC2::VPC', 1)
    expect(sluice.kafka?.vpc).toBe(vpc)
  })

  it('graphs the gateway and alarms when no task passes the health check', () => {
    const { template, id, sluice } = synth()
    const alarm = only(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: 'HealthyHostCount' },
      }),
    )
    expect(alarm).toMatchObject({
      Namespace: 'AWS/NetworkELB',
      Statistic: 'Minimum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
    })
    const dimension = (name: string) =>
      alarm.Dimensions.find((d: Json) => d.Name === name)?.Value as Json
    expect(JSON.stringify(dimension('TargetGroup'))).toContain(
      id(sluice.kafka?.targetGroup as IConstruct),
    )
    const body = JSON.stringify(
      only(template.findResources('AWS::CloudWatch::Dashboard')).DashboardBody,
    )
    expect(body).toContain('Kafka gateway: healthy tasks and connections')
    const { template: without } = synth({})
    without.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'HealthyHostCount' },
      0,
    )
  })

  it('scales on CPU between min and max without pinning a desired count', () => {
    const { template } = synth({
      kafka: { ...KAFKA, tasks: { min: 2, max: 6, targetCpuPercent: 50 } },
    })
    const service = only(template.findResources('AWS::ECS::Service'))
    expect(service.DesiredCount).toBeUndefined()
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 6,
      ScalableDimension: 'ecs:service:DesiredCount',
    })
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 50,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      }),
    })
  })

  it('serves an internal listener to the given clients, on the given port and task size', () => {
    const { template } = synth({
      kafka: {
        ...KAFKA,
        scheme: 'internal',
        port: 9094,
        taskSize: { cpu: 512, memoryMiB: 1024 },
      },
    })
    const balancer = only(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))
    expect(balancer.Scheme).toBe('internal')
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 9094 })
    const task = only(template.findResources('AWS::ECS::TaskDefinition'))
    expect(task).toMatchObject({ Cpu: '512', Memory: '1024' })
    expect(environment(task)).toMatchObject({
      SLUICE_KAFKA_PORT: '9092',
      SLUICE_KAFKA_ADVERTISED_PORT: '9094',
      NODE_OPTIONS: '--max-old-space-size=768',
    })
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup') as Json)
    const open = groups.flatMap((g: Json) => g.Properties.SecurityGroupIngress ?? [])
    expect(open).toEqual([
      expect.objectContaining({ FromPort: 9094, CidrIp: { 'Fn::GetAtt': expect.any(Array) } }),
    ])
  })

  it('makes an alias record for the advertised host when given its hosted zone', () => {
    const app = testApp(outdir)
    const stack = new Stack(app, 'Zoned')
    const hostedZone = HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      zoneName: 'example.com',
    })
    new Sluice(stack, 'Sluice', { kafka: { ...KAFKA, hostedZone } })
    templateOf(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'kafka.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
    })
    const other = HostedZone.fromHostedZoneAttributes(stack, 'Other', {
      hostedZoneId: 'Z0123456789ABCDEFGHIK',
      zoneName: 'example.org',
    })
    expect(
      () =>
        new Sluice(new Stack(app, 'Elsewhere'), 'S', { kafka: { ...KAFKA, hostedZone: other } }),
    ).toThrow(/not in the hosted zone 'example.org'/)
  })

  it('refuses props it cannot deploy, naming them', () => {
    const app = testApp(outdir)
    const cases: [Partial<SluiceKafkaProps>, RegExp][] = [
      [{ advertisedHost: 'kafka.example.com:9092' }, /advertisedHost must be a DNS name/],
      [{ advertisedHost: '' }, /advertisedHost must be a DNS name/],
      [{ port: 70000 }, /kafka.port must be a TCP port/],
      [{ tasks: { count: 0 } }, /kafka.tasks must count at least one task/],
      [{ tasks: { min: 3, max: 2 } }, /kafka.tasks.max \(2\) is below min \(3\)/],
      [{ tasks: { min: 1, max: 2, targetCpuPercent: 100 } }, /targetCpuPercent/],
    ]
    cases.forEach(([override, message], index) => {
      expect(
        () => new Sluice(new Stack(app, `Bad${index}`), 'S', { kafka: { ...KAFKA, ...override } }),
      ).toThrow(message)
    })
  })
})
