import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { AwsClients } from '../aws-clients.ts'
import type { GroupStores } from '../ports/groups.ts'
import type { StorageNames } from '../tables.ts'
import { DynamoDbInstanceStore } from './consumer-instances.ts'
import { DynamoDbGroupStore } from './groups.ts'
import { DynamoDbOffsetStore } from './offsets.ts'

/** The group stores over their DynamoDB tables. */
export function awsGroupStores(clients: AwsClients, names: StorageNames): GroupStores {
  const documents = DynamoDBDocumentClient.from(clients.dynamodb)
  const groups = new DynamoDbGroupStore(documents, names.tables.groups)
  return {
    groups,
    offsets: new DynamoDbOffsetStore(documents, names.tables.groupOffsets, groups),
    consumerInstances: new DynamoDbInstanceStore(documents, names.tables.consumerInstances),
  }
}
