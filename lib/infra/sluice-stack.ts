import { Stack, type StackProps } from 'aws-cdk-lib'
import type { Construct } from 'constructs'
import { SluiceStorage } from './storage.ts'

/** The deployable unit. It holds the storage today; the functions attach to `storage`. */
export class SluiceStack extends Stack {
  readonly storage: SluiceStorage

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'Sluice: a serverless, Kafka-style event log', ...props })
    this.storage = new SluiceStorage(this, 'Storage')
  }
}
