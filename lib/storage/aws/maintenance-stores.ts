import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { MaintenanceStores } from '../../maintenance/maintenance.ts'
import type { AwsClients } from '../aws-clients.ts'
import { ObjectStore } from '../object-store.ts'
import { PartitionHeads } from '../partition-heads.ts'
import { SegmentIndex } from '../segment-index.ts'
import type { StorageNames } from '../tables.ts'
import { TopicTable } from '../topic-table.ts'
import { DynamoDbIndexRewriter } from './index-rewrite.ts'
import { DynamoDbPartitionLeases } from './leases.ts'
import { DynamoDbLogInventory } from './log-inventory.ts'

/** Maintenance's stores on one set of tables and one bucket. */
export function awsMaintenanceStores(clients: AwsClients, names: StorageNames): MaintenanceStores {
  const documents = DynamoDBDocumentClient.from(clients.dynamodb)
  return {
    objects: new ObjectStore(clients.s3, names.bucket),
    segments: new SegmentIndex(documents, names.tables.segments),
    heads: new PartitionHeads(documents, names.tables.partitions),
    topics: new TopicTable(documents, names.tables.topics),
    leases: new DynamoDbPartitionLeases(documents, names.tables.leases),
    rewriter: new DynamoDbIndexRewriter(documents, names.tables),
    inventory: new DynamoDbLogInventory(documents, names.tables),
  }
}
