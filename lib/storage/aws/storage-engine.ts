import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { StorageEngine } from '../ports/storage-engine.ts'
import type { StorageNames } from '../tables.ts'
import { DynamoDbApiKeyStore } from './api-keys.ts'
import type { AwsClients } from './clients.ts'
import { DynamoDbInstanceStore } from './consumer-instances.ts'
import { behindFailureBoundary } from './failure-boundary.ts'
import { DynamoDbGroupStore } from './groups.ts'
import { DynamoDbIndexRewriter } from './index-rewrite.ts'
import { DynamoDbPartitionLeases } from './leases.ts'
import { DynamoDbLogCommitter } from './log-commit.ts'
import { DynamoDbLogInventory } from './log-inventory.ts'
import { S3ObjectStore } from './objects.ts'
import { DynamoDbOffsetStore } from './offsets.ts'
import { DynamoDbPartitionHeads } from './partition-heads.ts'
import { DynamoDbProducerStore } from './producers.ts'
import { DynamoDbSchemaStore } from './schemas.ts'
import { DynamoDbSegmentIndex } from './segment-index.ts'
import { DynamoDbSubjectStore } from './subjects.ts'
import { DynamoDbTopicStore } from './topics.ts'

/**
 * Every store on one set of DynamoDB tables and one S3 bucket, failing as the
 * ports say: the SDK's errors stay inside.
 */
export function awsStorage(clients: AwsClients, names: StorageNames): StorageEngine {
  const documents = DynamoDBDocumentClient.from(clients.dynamodb)
  const { tables } = names
  const groups = new DynamoDbGroupStore(documents, tables.groups)
  return behindFailureBoundary({
    objects: new S3ObjectStore(clients.s3, names.bucket),
    topics: new DynamoDbTopicStore(documents, tables.topics),
    heads: new DynamoDbPartitionHeads(documents, tables.partitions),
    segments: new DynamoDbSegmentIndex(documents, tables.segments),
    committer: new DynamoDbLogCommitter(documents, tables),
    producers: new DynamoDbProducerStore(documents, tables.producers),
    groups,
    offsets: new DynamoDbOffsetStore(documents, tables.groupOffsets, groups),
    consumerInstances: new DynamoDbInstanceStore(documents, tables.consumerInstances),
    leases: new DynamoDbPartitionLeases(documents, tables.leases),
    rewriter: new DynamoDbIndexRewriter(documents, tables),
    inventory: new DynamoDbLogInventory(documents, tables),
    schemas: new DynamoDbSchemaStore(documents, tables.registry),
    subjects: new DynamoDbSubjectStore(documents, tables.subjects),
    apiKeys: new DynamoDbApiKeyStore(documents, tables.apiKeys),
  })
}
