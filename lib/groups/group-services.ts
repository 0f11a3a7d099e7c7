import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { LogReader } from '../broker/reader.ts'
import type { Topics } from '../broker/topics.ts'
import type { StorageNames } from '../storage/tables.ts'
import { ConsumerInstances } from './consumer-instances.ts'
import { GroupCoordinator } from './coordinator.ts'
import { GroupAdmin } from './group-admin.ts'
import {
  type ConsumerOptions,
  DEFAULT_CONSUMER_OPTIONS,
  DEFAULT_GROUP_OPTIONS,
  type GroupOptions,
} from './group-options.ts'
import { GroupStore } from './group-store.ts'
import { InstanceStore } from './instance-store.ts'
import { OffsetStore } from './offset-store.ts'
import { RecordFetcher } from './record-fetcher.ts'
import { GroupSweeper } from './sweep.ts'
import { TopicMetadata } from './topic-metadata.ts'

export interface GroupServiceOptions {
  readonly groups?: Partial<GroupOptions>
  readonly consumers?: Partial<ConsumerOptions>
}

/** Consumer groups, offsets and v2 consumer instances, for request handlers and the scheduled sweep. */
export interface GroupServices {
  readonly coordinator: GroupCoordinator
  readonly consumers: ConsumerInstances
  readonly admin: GroupAdmin
  readonly sweeper: GroupSweeper
}

export function createGroupServices(
  documents: DynamoDBDocumentClient,
  tables: StorageNames['tables'],
  log: { readonly topics: Topics; readonly reader: LogReader },
  options: GroupServiceOptions = {},
): GroupServices {
  const groupOptions = { ...DEFAULT_GROUP_OPTIONS, ...options.groups }
  const consumerOptions = { ...DEFAULT_CONSUMER_OPTIONS, ...options.consumers }
  const { clock } = groupOptions
  const store = new GroupStore(documents, tables.groups)
  const offsets = new OffsetStore(documents, tables.groupOffsets)
  const metadata = new TopicMetadata(log.topics)
  const coordinator = new GroupCoordinator(store, offsets, metadata, groupOptions)
  const fetcher = new RecordFetcher(metadata, log.reader, {
    pollIntervalMs: consumerOptions.pollIntervalMs,
    clock,
  })
  const consumers = new ConsumerInstances(
    new InstanceStore(documents, tables.consumerInstances),
    coordinator,
    log.topics,
    log.reader,
    fetcher,
    metadata,
    consumerOptions,
    clock,
  )
  return {
    coordinator,
    consumers,
    admin: new GroupAdmin(store, offsets, coordinator, log.topics, log.reader, metadata),
    sweeper: new GroupSweeper(store, coordinator, consumers, clock),
  }
}
