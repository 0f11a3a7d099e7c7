import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { LogReader } from '../broker/reader.ts'
import type { Topics } from '../broker/topics.ts'
import type { StorageNames } from '../storage/tables.ts'
import { GroupCoordinator } from './coordinator.ts'
import { GroupAdmin } from './group-admin.ts'
import { DEFAULT_GROUP_OPTIONS, type GroupOptions } from './group-options.ts'
import { GroupStore } from './group-store.ts'
import { OffsetStore } from './offset-store.ts'
import { GroupSweeper } from './sweep.ts'
import { TopicMetadata } from './topic-metadata.ts'

/** Consumer groups and their offsets, for the front ends and the scheduled sweep. */
export interface GroupServices {
  readonly coordinator: GroupCoordinator
  readonly admin: GroupAdmin
  readonly sweeper: GroupSweeper
}

export function createGroupServices(
  documents: DynamoDBDocumentClient,
  tables: StorageNames['tables'],
  log: { readonly topics: Topics; readonly reader: LogReader },
  options: Partial<GroupOptions> = {},
): GroupServices {
  const groupOptions = { ...DEFAULT_GROUP_OPTIONS, ...options }
  const store = new GroupStore(documents, tables.groups)
  const offsets = new OffsetStore(documents, tables.groupOffsets)
  const metadata = new TopicMetadata(log.topics)
  const coordinator = new GroupCoordinator(store, offsets, metadata, groupOptions)
  return {
    coordinator,
    admin: new GroupAdmin(store, offsets, coordinator, log.topics, log.reader, metadata),
    sweeper: new GroupSweeper(store, coordinator, groupOptions.clock),
  }
}
