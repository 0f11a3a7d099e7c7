import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { MaintenanceStores } from '../../maintenance/maintenance.ts'
import type { AwsClients } from '../aws-clients.ts'
import type { StorageNames } from '../tables.ts'
import { DynamoDbIndexRewriter } from './index-rewrite.ts'
import { DynamoDbPartitionLeases } from './leases.ts'
import { DynamoDbLogInventory } from './log-inventory.ts'
import { awsLogStores } from './log-stores.ts'

/** Maintenance's stores on one set of tables and one bucket. */
export function awsMaintenanceStores(clients: AwsClients, names: StorageNames): MaintenanceStores {
  const documents = DynamoDBDocumentClient.from(clients.dynamodb)
  return {
    ...awsLogStores(clients, names),
    leases: new DynamoDbPartitionLeases(documents, names.tables.leases),
    rewriter: new DynamoDbIndexRewriter(documents, names.tables),
    inventory: new DynamoDbLogInventory(documents, names.tables),
  }
}
