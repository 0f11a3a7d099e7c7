import type { CfnElement } from 'aws-cdk-lib'
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib'
import { Match, type Template } from 'aws-cdk-lib/assertions'
import { Peer } from 'aws-cdk-lib/aws-ec2'
import { Bucket } from 'aws-cdk-lib/aws-s3'
import { AwsSolutionsChecks } from 'cdk-nag'
import type { IConstruct } from 'constructs'
import { describe, expect, it } from 'vitest'
import { ScheduledFunction } from '../../lib/infra/scheduled-function.ts'
import { SCHEDULED_FUNCTIONS } from '../../lib/infra/scheduled-functions.ts'
import { Sluice, type SluiceProps } from '../../lib/infra/sluice.ts'
import { SluiceStack } from '../../lib/infra/sluice-stack.ts'
import { type TableId, tableDefinitions, tableNameVariable } from '../../lib/storage/tables.ts'
import {
  actionsOf,
  allowedStatements,
  assemblyDir,
  type Json,
  referenced,
  resourcesOf,
  type Statement,
  templateOf,
  testApp,
} from './synth.ts'

const outdir = assemblyDir()
const tableIds = Object.keys(tableDefinitions) as TableId[]

function synth(props: SluiceProps = {}) {
  const app = testApp(outdir)
  const stack = new SluiceStack(app, 'Test', { sluice: props })
  const id = (construct: IConstruct) =>
    stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)) as string
  return { app, stack, template: templateOf(stack), id }
}

function tableIdOf(stack: Stack, sluice: Sluice, logicalId: string): TableId | undefined {
  return tableIds.find(
    (tableId) =>
      stack.resolve(
        stack.getLogicalId(sluice.storage.tables[tableId].node.defaultChild as CfnElement),
      ) === logicalId,
  )
}

/** For the API's role: which actions it has on which table, and on the bucket. */
function apiGrants(props: SluiceProps = {}) {
  const { stack, template, id } = synth(props)
  const sluice = stack.sluice
  const statements = allowedStatements(template, id(sluice.api.handler.node.findChild('Role')))
  const onTable: Partial<Record<TableId, Set<string>>> = {}
  const onBucket = new Set<string>()
  const elsewhere: Statement[] = []
  for (const statement of statements) {
    for (const resource of resourcesOf(statement)) {
      const target = referenced(resource)
      const tableId = target && tableIdOf(stack, sluice, target)
      if (tableId) {
        const actions = onTable[tableId] ?? new Set<string>()
        for (const action of actionsOf(statement)) actions.add(action)
        onTable[tableId] = actions
      } else if (target === id(sluice.storage.bucket)) {
        for (const action of actionsOf(statement)) onBucket.add(action)
      } else {
        elsewhere.push(statement)
      }
    }
  }
  return { onTable, onBucket, elsewhere, template, id, sluice }
}

function functionProperties(template: Template, logicalId: string): Json {
  return (template.findResources('AWS::Lambda::Function') as Json)[logicalId].Properties
}

describe('the Sluice stack', () => {
  it('runs the API on Node.js 22, arm64, with JSON logs, tracing and every storage name', () => {
    const { template, id, stack } = synth()
    const props = functionProperties(template, id(stack.sluice.api.handler.function))
    expect(props.Runtime).toBe('nodejs22.x')
    expect(props.Architectures).toEqual(['arm64'])
    expect(props.TracingConfig).toEqual({ Mode: 'Active' })
    expect(props.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO' })
    expect(props.Handler).toBe('index.handler')
    const variables = props.Environment.Variables
    for (const tableId of tableIds) {
      expect(referenced(variables[tableNameVariable(tableId)])).toBe(
        id(stack.sluice.storage.tables[tableId]),
      )
    }
    expect(referenced(variables.SLUICE_BUCKET)).toBe(id(stack.sluice.storage.bucket))
    expect(variables).toMatchObject({
      SLUICE_CLUSTER_ID: 'sluice',
      SLUICE_AUTH_MODE: 'iam',
      POWERTOOLS_SERVICE_NAME: 'sluice-api',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    })
  })

  it('requires IAM on the only way in by default, and grants nobody anonymous invoke', () => {
    const { template } = synth()
    const urls = Object.values(template.findResources('AWS::Lambda::Url') as Json)
    expect(urls).toHaveLength(1)
    expect(urls.map((url: Json) => url.Properties.AuthType)).toEqual(['AWS_IAM'])
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 0)
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission') as Json)
    expect(permissions.filter((p: Json) => p.Properties.Principal === '*')).toEqual([])
  })

  it('in api-key mode opens the URL to the function, which checks keys itself', () => {
    const { template, id, stack } = synth({ authMode: 'api-key' })
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' })
    const props = functionProperties(template, id(stack.sluice.api.handler.function))
    expect(props.Environment.Variables.SLUICE_AUTH_MODE).toBe('api-key')
  })

  it('gives the API data access to the tables, reads API keys only in api-key mode, never deletes objects', () => {
    const iam = apiGrants()
    const apiKey = apiGrants({ authMode: 'api-key' })
    for (const { onTable } of [iam, apiKey]) {
      for (const tableId of tableIds.filter((t) => t !== 'apiKeys')) {
        expect([...(onTable[tableId] ?? [])], tableId).toEqual(
          expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']),
        )
      }
    }
    expect(iam.onTable.apiKeys).toBeUndefined()
    const keyActions = [...(apiKey.onTable.apiKeys ?? [])]
    expect(keyActions).toContain('dynamodb:GetItem')
    expect(keyActions.filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([])
    for (const { onBucket } of [iam, apiKey]) {
      expect(onBucket).toEqual(new Set(['s3:GetObject', 's3:PutObject']))
    }
  })

  it('scopes every grant to its table, bucket or log group; only X-Ray gets "*"', () => {
    for (const props of [{}, { authMode: 'api-key' } as const]) {
      const { elsewhere, template, id, sluice } = apiGrants(props)
      for (const statement of elsewhere) {
        const resources = resourcesOf(statement)
        if (resources.includes('*')) {
          expect(actionsOf(statement).every((action) => action.startsWith('xray:'))).toBe(true)
        } else {
          expect(actionsOf(statement)).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents'])
          expect(resources.map(referenced)).toEqual([id(sluice.api.handler.logGroup)])
        }
      }
      template.resourcePropertiesCountIs(
        'AWS::IAM::Role',
        { ManagedPolicyArns: Match.anyValue() },
        // The bucket auto-delete provider exists only with RemovalPolicy.DESTROY.
        0,
      )
    }
  })

  it('enables TTL where items expire, and protects retained tables from deletion', () => {
    const { template, id, stack } = synth()
    const tables = template.findResources('AWS::DynamoDB::GlobalTable') as Json
    for (const tableId of tableIds) {
      const props = tables[id(stack.sluice.storage.tables[tableId])].Properties
      const ttl: string | undefined = (tableDefinitions as Json)[tableId].timeToLiveAttribute
      expect(props.TimeToLiveSpecification, tableId).toEqual(
        ttl === undefined ? undefined : { AttributeName: ttl, Enabled: true },
      )
      expect(props.Replicas[0].DeletionProtectionEnabled, tableId).toBe(true)
    }
  })

  it('lets a stack meant for teardown delete its data', () => {
    const { template } = synth({ removalPolicy: RemovalPolicy.DESTROY })
    template.allResources('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' })
    template.allResourcesProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })],
    })
  })

  it('aborts incomplete multipart uploads and logs access to the data bucket', () => {
    const { template, id, stack } = synth()
    const buckets = template.findResources('AWS::S3::Bucket') as Json
    const data = buckets[id(stack.sluice.storage.bucket)].Properties
    expect(data.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    ])
    expect(referenced(data.LoggingConfiguration.DestinationBucketName)).toBe(
      id(stack.sluice.storage.accessLogs),
    )
  })

  it('builds a dashboard and alarms on errors and throttling', () => {
    const { template } = synth({ clusterId: 'prod' })
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'sluice-prod' })
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Sluice',
      MetricName: 'ServerErrors',
      Dimensions: Match.arrayWith([{ Name: 'cluster', Value: 'prod' }]),
    })
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
    })
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Json)
    const tableThrottleAlarms = alarms.filter((alarm: Json) =>
      JSON.stringify(alarm.Properties.Metrics ?? []).includes('WriteThrottleEvents'),
    )
    expect(tableThrottleAlarms).toHaveLength(tableIds.length)
  })

  it('deploys every scheduled function of the list on its rate, which the schedules prop overrides', () => {
    const [first] = SCHEDULED_FUNCTIONS
    const { template, id, stack } = synth({ schedules: { [first.name]: Duration.hours(2) } })
    const rules: Json[] = Object.values(template.findResources('AWS::Events::Rule'))
    expect(rules).toHaveLength(SCHEDULED_FUNCTIONS.length)
    for (const spec of SCHEDULED_FUNCTIONS) {
      const fn = stack.sluice.maintenance[spec.name]?.handler.function
      expect(fn, spec.name).toBeDefined()
      const minutes = spec.defaultRate.toMinutes()
      const rate =
        spec === first ? 'rate(2 hours)' : `rate(${minutes} minute${minutes === 1 ? '' : 's'})`
      const rule = rules.find(
        (r: Json) => r.Properties.Targets[0].Arn['Fn::GetAtt'][0] === id(fn as IConstruct),
      )
      expect(rule?.Properties.ScheduleExpression, spec.name).toBe(rate)
    }
  })

  it('refuses a cluster id that cannot appear in a URL path, and unknown schedules', () => {
    const app = testApp(outdir)
    expect(() => new Sluice(new Stack(app, 'A'), 'S', { clusterId: 'no/slash' })).toThrow(
      /clusterId must be/,
    )
    expect(
      () =>
        new Sluice(new Stack(app, 'B'), 'S', {
          // Typed keys would refuse this at compile time; a JavaScript caller could still pass it.
          schedules: { nonsense: Duration.minutes(5) },
        } as unknown as SluiceProps),
    ).toThrow(/schedules names 'nonsense'/)
  })
})

describe('ScheduledFunction', () => {
  it('runs its entry on an EventBridge rate with exactly the access it declares', () => {
    const app = testApp(outdir)
    const stack = new SluiceStack(app, 'Scheduled')
    const { storage } = stack.sluice
    const scheduled = new ScheduledFunction(stack, 'fixture', {
      clusterId: 'sluice',
      logLevel: 'WARN',
      logRetention: 7,
      storage,
      rate: Duration.minutes(15),
      spec: {
        name: 'fixture',
        entry: 'test/infra/fixtures/scheduled-handler.ts',
        description: 'fixture',
        defaultRate: Duration.hours(1),
        timeout: Duration.minutes(5),
        memorySize: 512,
        access: { tables: { segments: 'read-write', topics: 'read' }, bucket: ['list', 'delete'] },
      },
    })
    const template = templateOf(stack)
    const id = (construct: IConstruct) =>
      stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)) as string
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [id(scheduled.handler.function), 'Arn'] } }),
      ],
    })
    const props = functionProperties(template, id(scheduled.handler.function))
    expect(props).toMatchObject({ Timeout: 300, MemorySize: 512, Runtime: 'nodejs22.x' })
    expect(props.Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe('sluice-fixture')

    const statements = allowedStatements(template, id(scheduled.handler.node.findChild('Role')))
    const touched = new Set(
      statements.flatMap((s) => resourcesOf(s).map(referenced)).filter(Boolean),
    )
    const expected = new Set([
      id(storage.tables.segments),
      id(storage.tables.topics),
      id(storage.bucket),
      id(scheduled.handler.logGroup),
    ])
    expect(touched).toEqual(expected)
    const s3 = statements.flatMap(actionsOf).filter((action) => action.startsWith('s3:'))
    expect(new Set(s3)).toEqual(new Set(['s3:ListBucket', 's3:DeleteObject']))
    const topics = statements.filter((s) =>
      resourcesOf(s).some((r) => referenced(r) === id(storage.tables.topics)),
    )
    expect(topics.flatMap(actionsOf).filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([])
  })
})

describe('cdk-nag AwsSolutions', () => {
  function findings(build: (stack: Stack) => void): unknown {
    const app = testApp(outdir)
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
    build(new Stack(app, 'Nag'))
    try {
      app.synth()
      return []
    } catch (error) {
      return String(error)
    }
  }

  it('reports nothing unacknowledged, in either auth mode or removal policy, with or without Kafka', () => {
    const kafka = {
      advertisedHost: 'kafka.example.com',
      certificate: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
    }
    const variants: SluiceProps[] = [
      {},
      { authMode: 'api-key' },
      { removalPolicy: RemovalPolicy.DESTROY, logLevel: 'DEBUG' },
      { kafka },
      {
        kafka: {
          ...kafka,
          scheme: 'internal',
          allowedClients: [Peer.ipv4('10.1.0.0/16')],
          tasks: { min: 2, max: 4 },
        },
      },
    ]
    for (const props of variants) {
      expect(findings((stack) => new Sluice(stack, 'Sluice', props))).toEqual([])
    }
  })

  it('does catch a finding, so the check above is live', () => {
    expect(findings((stack) => new Bucket(stack, 'Open'))).toMatch(/AwsSolutions-S1/)
  })
})
