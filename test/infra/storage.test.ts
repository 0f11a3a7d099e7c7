import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App, Stack } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import { afterAll, describe, expect, it } from 'vitest'
import { SluiceStorage } from '../../lib/infra/storage.ts'
import { tableDefinitions } from '../../lib/storage/tables.ts'

const outdir = mkdtempSync(join(tmpdir(), 'sluice-cdk-'))
afterAll(() => rmSync(outdir, { recursive: true, force: true }))

function synth(): Template {
  const app = new App({ outdir })
  const stack = new Stack(app, 'StorageTest')
  new SluiceStorage(stack, 'Storage')
  return Template.fromStack(stack)
}

describe('SluiceStorage', () => {
  const template = synth()

  it('deploys every table with the key schema the local engines use', () => {
    const tables = template.findResources('AWS::DynamoDB::GlobalTable')
    const schemas = Object.values(tables).map(
      (table) => (table as { Properties: { KeySchema: unknown } }).Properties.KeySchema,
    )
    const expected = Object.values(tableDefinitions).map((definition) => [
      { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
      ...('sortKey' in definition
        ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }]
        : []),
    ])
    expect(schemas).toHaveLength(expected.length)
    expect(schemas).toEqual(expect.arrayContaining(expected))
  })

  it('bills on demand, keeps point-in-time recovery and retains data by default', () => {
    template.allResourcesProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
    })
    template.allResources('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' })
  })

  it('keeps the bucket private, encrypted and TLS-only', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.objectLike({}),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    })
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    })
  })
})
