import type { LogReader } from '../broker/reader.ts'
import type { Topics } from '../broker/topics.ts'
import type { GroupStores } from '../storage/ports/groups.ts'
import { GroupCoordinator } from './coordinator.ts'
import { GroupAdmin } from './group-admin.ts'
import { DEFAULT_GROUP_OPTIONS, type GroupOptions } from './group-options.ts'
import { GroupSweeper } from './sweep.ts'
import { TopicMetadata } from './topic-metadata.ts'

/** Consumer groups and their offsets, for the front ends and the scheduled sweep. */
export interface GroupServices {
  readonly coordinator: GroupCoordinator
  readonly admin: GroupAdmin
  readonly sweeper: GroupSweeper
}

export function createGroupServices(
  { groups: store, offsets }: Pick<GroupStores, 'groups' | 'offsets'>,
  log: { readonly topics: Topics; readonly reader: LogReader },
  options: Partial<GroupOptions> = {},
): GroupServices {
  const groupOptions = { ...DEFAULT_GROUP_OPTIONS, ...options }
  const metadata = new TopicMetadata(log.topics)
  const coordinator = new GroupCoordinator(store, offsets, metadata, groupOptions)
  return {
    coordinator,
    admin: new GroupAdmin(store, offsets, coordinator, log.topics, log.reader, metadata),
    sweeper: new GroupSweeper(store, coordinator, groupOptions.clock),
  }
}
