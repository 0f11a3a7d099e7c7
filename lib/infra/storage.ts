import { RemovalPolicy } from 'aws-cdk-lib'
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb'
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import {
  type KeyAttribute,
  type StorageNames,
  type TableId,
  tableDefinitions,
} from '../storage/tables.ts'

export interface SluiceStorageProps {
  /** What happens to data when the stack is deleted; keeping it is the safe default. */
  readonly removalPolicy?: RemovalPolicy
}

function attribute({ name, type }: KeyAttribute) {
  return { name, type: type === 'S' ? AttributeType.STRING : AttributeType.NUMBER }
}

/**
 * The tables and the bucket, built from the same definitions the local
 * bootstrap uses, so tests run against the key schemas that get deployed.
 */
export class SluiceStorage extends Construct {
  readonly tables: Readonly<Record<TableId, TableV2>>
  readonly bucket: Bucket

  constructor(scope: Construct, id: string, props: SluiceStorageProps = {}) {
    super(scope, id)
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN
    const tables = {} as Record<TableId, TableV2>
    for (const [tableId, definition] of Object.entries(tableDefinitions) as [
      TableId,
      (typeof tableDefinitions)[TableId],
    ][]) {
      tables[tableId] = new TableV2(this, `${tableId}-table`, {
        partitionKey: attribute(definition.partitionKey),
        ...('sortKey' in definition && { sortKey: attribute(definition.sortKey) }),
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        removalPolicy,
      })
    }
    this.tables = tables
    this.bucket = new Bucket(this, 'data', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy,
    })
  }

  /** The physical names, as the functions read them from their environment. */
  get names(): StorageNames {
    const tables = Object.fromEntries(
      Object.entries(this.tables).map(([id, table]) => [id, table.tableName]),
    ) as Record<TableId, string>
    return { tables, bucket: this.bucket.bucketName }
  }
}
