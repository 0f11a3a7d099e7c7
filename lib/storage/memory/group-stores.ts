import type { GroupStores } from '../ports/groups.ts'
import { MemoryInstanceStore } from './consumer-instances.ts'
import { MemoryGroupState } from './group-state.ts'
import { MemoryGroupStore } from './groups.ts'
import { MemoryOffsetStore } from './offsets.ts'

/** The group stores in memory, the group and offset stores sharing one state. */
export function memoryGroupStores(): GroupStores {
  const state = new MemoryGroupState()
  return {
    groups: new MemoryGroupStore(state),
    offsets: new MemoryOffsetStore(state),
    consumerInstances: new MemoryInstanceStore(),
  }
}
