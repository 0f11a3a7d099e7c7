import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib'
import type { Construct } from 'constructs'
import { tableNameVariable } from '../storage/tables.ts'
import { Sluice, type SluiceProps } from './sluice.ts'

export interface SluiceStackProps extends StackProps {
  readonly sluice?: SluiceProps
}

/** The deployable unit: one Sluice installation and the outputs a client and an operator need. */
export class SluiceStack extends Stack {
  readonly sluice: Sluice

  constructor(scope: Construct, id: string, props: SluiceStackProps = {}) {
    super(scope, id, { description: 'Sluice: a serverless, Kafka-style event log', ...props })
    this.sluice = new Sluice(this, 'Sluice', props.sluice)
    const { api, storage, monitoring } = this.sluice
    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the API (function URL)',
      value: api.url.url,
    })
    new CfnOutput(this, 'ClusterId', {
      description: 'The cluster id in /v3/clusters/{cluster_id} paths',
      value: this.sluice.clusterId,
    })
    new CfnOutput(this, 'AuthMode', {
      description: 'How clients authenticate: iam (SigV4) or api-key (Authorization: Bearer)',
      value: this.sluice.authMode,
    })
    new CfnOutput(this, 'ApiKeysTable', {
      description: `Set ${tableNameVariable('apiKeys')} to this for npm run api-keys`,
      value: storage.tables.apiKeys.tableName,
    })
    new CfnOutput(this, 'BucketName', { value: storage.bucket.bucketName })
    new CfnOutput(this, 'DashboardName', { value: monitoring.dashboard.dashboardName })
    const { kafka } = this.sluice
    if (kafka) {
      new CfnOutput(this, 'KafkaBootstrap', {
        description:
          'bootstrap.servers for Kafka clients (security.protocol=SASL_SSL, sasl.mechanism=PLAIN)',
        value: kafka.bootstrap,
      })
      new CfnOutput(this, 'KafkaLoadBalancerDnsName', {
        description:
          'Point the advertised host (a CNAME) here, unless the stack was given its hosted zone',
        value: kafka.loadBalancer.loadBalancerDnsName,
      })
    }
  }
}
