import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { AwsClients } from '../storage/aws-clients.ts'
import { LogCommitter } from '../storage/log-commit.ts'
import { ObjectStore } from '../storage/object-store.ts'
import { PartitionHeads } from '../storage/partition-heads.ts'
import { ProducerTable } from '../storage/producer-table.ts'
import { SegmentIndex } from '../storage/segment-index.ts'
import type { StorageNames } from '../storage/tables.ts'
import { TopicTable } from '../storage/topic-table.ts'
import { type AppenderOptions, LogAppender } from './appender.ts'
import { LogReader, type ReaderOptions } from './reader.ts'
import { Topics } from './topics.ts'

export interface BrokerOptions {
  readonly appender?: Partial<AppenderOptions>
  readonly reader?: Partial<ReaderOptions>
}

/** The log: topics, and appending and reading their partitions, over one set of tables and one bucket. */
export interface Broker {
  readonly topics: Topics
  readonly appender: LogAppender
  readonly producers: ProducerTable
  readonly reader: LogReader
  readonly segments: SegmentIndex
  /** The stored bytes and the partition heads, for paths that serve batches as stored (Kafka's Fetch). */
  readonly objects: ObjectStore
  readonly heads: PartitionHeads
}

export function createBroker(
  clients: AwsClients,
  names: StorageNames,
  options: BrokerOptions = {},
): Broker {
  const documents = DynamoDBDocumentClient.from(clients.dynamodb)
  const objects = new ObjectStore(clients.s3, names.bucket)
  const heads = new PartitionHeads(documents, names.tables.partitions)
  const segments = new SegmentIndex(documents, names.tables.segments)
  const committer = new LogCommitter(documents, names.tables)
  const topics = new Topics(new TopicTable(documents, names.tables.topics), heads)
  const reader = new LogReader(segments, objects, heads, options.reader)
  const producers = new ProducerTable(documents, names.tables.producers)
  return {
    topics,
    appender: new LogAppender(objects, heads, committer, producers, options.appender),
    producers,
    reader,
    segments,
    objects,
    heads,
  }
}
