import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import { describe, expect, it } from 'vitest'
import { sluicePropsFromContext } from '../../../lib/infra/context.ts'

const from = (context: Record<string, unknown>) => sluicePropsFromContext((key) => context[key])

describe('sluicePropsFromContext', () => {
  it('leaves every default alone when nothing is set', () => {
    expect(from({})).toEqual({})
  })

  it('reads strings from -c and JSON values from cdk.json alike', () => {
    const props = from({
      'sluice:clusterId': 'prod',
      'sluice:authMode': 'api-key',
      'sluice:logLevel': 'DEBUG',
      'sluice:removalPolicy': 'destroy',
      'sluice:deletionProtection': 'false',
      'sluice:maxRequestBytes': '1048576',
      'sluice:apiMemorySize': 2048,
      'sluice:schedules': '{"compaction": 30}',
    })
    expect(props).toMatchObject({
      clusterId: 'prod',
      authMode: 'api-key',
      logLevel: 'DEBUG',
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
      maxRequestBytes: 1048576,
      apiMemorySize: 2048,
    })
    expect(props.schedules).toEqual({ compaction: Duration.minutes(30) })
  })

  it('enables the Kafka gateway with an advertised host and a certificate ARN', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc'
    expect(
      from({
        'sluice:kafkaAdvertisedHost': 'kafka.example.com',
        'sluice:kafkaCertificateArn': certificateArn,
      }),
    ).toEqual({ kafka: { advertisedHost: 'kafka.example.com', certificate: { certificateArn } } })
    expect(
      from({
        'sluice:kafkaAdvertisedHost': 'kafka.example.com',
        'sluice:kafkaCertificateArn': certificateArn,
        'sluice:kafkaPort': 9094,
      }).kafka?.port,
    ).toBe(9094)
  })

  it('fails the synth on a value it cannot use, naming the key', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ 'sluice:authMode': 'none' }, /sluice:authMode must be one of iam, api-key/],
      [{ 'sluice:logLevel': 'verbose' }, /sluice:logLevel/],
      [{ 'sluice:removalPolicy': 'snapshot' }, /sluice:removalPolicy/],
      [{ 'sluice:deletionProtection': 'yes' }, /sluice:deletionProtection must be true or false/],
      [{ 'sluice:maxRequestBytes': '-1' }, /sluice:maxRequestBytes must be a positive integer/],
      [{ 'sluice:apiMemorySize': 1.5 }, /sluice:apiMemorySize/],
      [{ 'sluice:schedules': '{nope' }, /sluice:schedules is not valid JSON/],
      [{ 'sluice:schedules': '[30]' }, /sluice:schedules must map function names to minutes/],
      [{ 'sluice:schedules': '{"gc": 0}' }, /sluice:schedules.gc must be a positive integer/],
      [{ 'sluice:kafkaAdvertisedHost': 'kafka.example.com' }, /set both/],
      [{ 'sluice:kafkaPort': '9094' }, /set both/],
      [
        {
          'sluice:kafkaAdvertisedHost': 'kafka.example.com',
          'sluice:kafkaCertificateArn': 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
          'sluice:kafkaPort': 'tls',
        },
        /sluice:kafkaPort must be a positive integer/,
      ],
    ]
    for (const [context, message] of cases) expect(() => from(context)).toThrow(message)
  })
})
