import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib'
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb'
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import {
  type KeyAttribute,
  type StorageNames,
  type TableDefinition,
  type TableId,
  tableDefinitions,
} from '../storage/tables.ts'

export interface SluiceStorageProps {
  /** What happens to data when the stack is deleted; keeping it is the safe default. */
  readonly removalPolicy?: RemovalPolicy
  /**
   * DynamoDB deletion protection. Defaults to on unless the removal policy
   * destroys data: a stack meant to be torn down must be able to delete its tables.
   */
  readonly deletionProtection?: boolean
  /** How long S3 server access logs are kept. */
  readonly accessLogRetention?: Duration
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
  /** Receives the data bucket's S3 server access logs. */
  readonly accessLogs: Bucket

  constructor(scope: Construct, id: string, props: SluiceStorageProps = {}) {
    super(scope, id)
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN
    const deletionProtection = props.deletionProtection ?? removalPolicy !== RemovalPolicy.DESTROY
    const definitions: Record<TableId, TableDefinition> = tableDefinitions
    const tables = {} as Record<TableId, TableV2>
    for (const [tableId, definition] of Object.entries(definitions) as [
      TableId,
      TableDefinition,
    ][]) {
      tables[tableId] = new TableV2(this, `${tableId}-table`, {
        partitionKey: attribute(definition.partitionKey),
        ...(definition.sortKey && { sortKey: attribute(definition.sortKey) }),
        ...(definition.timeToLiveAttribute && {
          timeToLiveAttribute: definition.timeToLiveAttribute,
        }),
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection,
        removalPolicy,
      })
    }
    this.tables = tables

    const autoDeleteObjects = removalPolicy === RemovalPolicy.DESTROY
    this.accessLogs = new Bucket(this, 'access-logs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: props.accessLogRetention ?? Duration.days(90) }],
      removalPolicy,
      autoDeleteObjects,
    })
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket holds the access logs; logging access to it would log into itself.',
    })
    this.bucket = new Bucket(this, 'data', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // Bucket's optional isWebsite does not satisfy IBucket under exactOptionalPropertyTypes.
      serverAccessLogsBucket: this.accessLogs as IBucket,
      serverAccessLogsPrefix: 'data/',
      // Large puts are multipart uploads; one that never completes would be billed forever.
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy,
      autoDeleteObjects,
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
