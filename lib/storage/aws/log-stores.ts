import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { AwsClients } from '../aws-clients.ts'
import type { LogStores } from '../ports/log-stores.ts'
import type { StorageNames } from '../tables.ts'
import { DynamoDbLogCommitter } from './log-commit.ts'
import { S3ObjectStore } from './objects.ts'
import { DynamoDbPartitionHeads } from './partition-heads.ts'
import { DynamoDbProducerStore } from './producers.ts'
import { DynamoDbSegmentIndex } from './segment-index.ts'
import { DynamoDbTopicStore } from './topics.ts'

/** The log's stores over one set of tables and one bucket. */
export function awsLogStores(clients: AwsClients, names: StorageNames): LogStores {
  const documents = DynamoDBDocumentClient.from(clients.dynamodb)
  return {
    objects: new S3ObjectStore(clients.s3, names.bucket),
    topics: new DynamoDbTopicStore(documents, names.tables.topics),
    heads: new DynamoDbPartitionHeads(documents, names.tables.partitions),
    segments: new DynamoDbSegmentIndex(documents, names.tables.segments),
    committer: new DynamoDbLogCommitter(documents, names.tables),
    producers: new DynamoDbProducerStore(documents, names.tables.producers),
  }
}
