import { Stack, Validations } from 'aws-cdk-lib'
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam'
import type { CfnBucket } from 'aws-cdk-lib/aws-s3'
import { type TableId, tableNameVariable } from '../storage/tables.ts'
import type { SluiceStorage } from './storage.ts'

/**
 * How a Lambda function or a container finds the storage and what it may do
 * there: the names in its environment, as lib/config.ts reads them, and
 * exactly the grants it is given.
 */

export type TableAccess = 'read' | 'read-write'
/** S3 access as separate verbs: the API writes and reads objects but never deletes or lists them. */
export type BucketAccess = 'read' | 'put' | 'delete' | 'list'

/** What a role may touch; everything else is denied. */
export interface StorageAccess {
  readonly tables: Readonly<Partial<Record<TableId, TableAccess>>>
  readonly bucket: readonly BucketAccess[]
}

/** The bucket's and every table's name (for every table in lib/storage/tables.ts, so new tables reach everyone). */
export function storageEnvironment(storage: SluiceStorage): Record<string, string> {
  return {
    SLUICE_BUCKET: storage.bucket.bucketName,
    ...Object.fromEntries(
      Object.entries(storage.tables).map(([tableId, table]) => [
        tableNameVariable(tableId as TableId),
        table.tableName,
      ]),
    ),
  }
}

/** The S3 actions behind each verb, on this one bucket's objects (list: on the bucket itself). */
const BUCKET_ACTIONS = {
  read: 's3:GetObject',
  put: 's3:PutObject',
  delete: 's3:DeleteObject',
  list: 's3:ListBucket',
} as const satisfies Record<BucketAccess, string>

/**
 * Tables through their own grant methods; the bucket through explicit
 * statements, because Bucket.grantRead and grantPut add wildcard actions
 * (s3:GetObject*, s3:List*, s3:Abort*) that no Sluice code uses.
 */
export function grantStorageAccess(
  role: IRole,
  storage: SluiceStorage,
  access: StorageAccess,
): void {
  for (const [tableId, level] of Object.entries(access.tables)) {
    const table = storage.tables[tableId as TableId]
    if (level === 'read') table.grantReadData(role)
    else table.grantReadWriteData(role)
  }
  const verbs = new Set(access.bucket)
  const objectActions = [...verbs]
    .filter((verb) => verb !== 'list')
    .map((verb) => BUCKET_ACTIONS[verb])
  if (objectActions.length > 0) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: objectActions,
        resources: [storage.bucket.arnForObjects('*')],
      }),
    )
    const stack = Stack.of(storage)
    const bucketId = stack.resolve(
      stack.getLogicalId(storage.bucket.node.defaultChild as CfnBucket),
    )
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
      reason:
        'Every produce request writes an object under a fresh random key, so object access cannot be narrower than the objects of this one bucket.',
    })
  }
  if (verbs.has('list')) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [BUCKET_ACTIONS.list],
        resources: [storage.bucket.bucketArn],
      }),
    )
  }
}
