import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { RegistryStores } from '../../registry/registry.ts'
import type { AwsClients } from '../aws-clients.ts'
import type { StorageNames } from '../tables.ts'
import { DynamoDbSchemaStore } from './schemas.ts'
import { DynamoDbSubjectStore } from './subjects.ts'

/** The schema registry's stores in the deployment's tables, on these clients. */
export function awsRegistryStores(clients: AwsClients, names: StorageNames): RegistryStores {
  const documents = DynamoDBDocumentClient.from(clients.dynamodb)
  return {
    schemas: new DynamoDbSchemaStore(documents, names.tables.registry),
    subjects: new DynamoDbSubjectStore(documents, names.tables.subjects),
  }
}
