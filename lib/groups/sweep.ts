import type { ConsumerInstances } from './consumer-instances.ts'
import type { GroupCoordinator } from './coordinator.ts'
import type { GroupStore } from './group-store.ts'

export interface SweepResult {
  readonly instancesExpired: number
  readonly membersExpired: number
}

/**
 * What a scheduler runs now and then: retire idle consumer instances (their
 * members leave, committing first with auto-commit), then expire members whose
 * session ran out in groups nobody has touched since. Group operations do the
 * same lazily; the sweep makes it happen in quiet groups too.
 */
export class GroupSweeper {
  constructor(
    private readonly store: GroupStore,
    private readonly coordinator: GroupCoordinator,
    private readonly consumers: ConsumerInstances,
    private readonly clock: () => number,
  ) {}

  async sweep(): Promise<SweepResult> {
    const instancesExpired = await this.consumers.expireIdle()
    let membersExpired = 0
    for (const groupId of await this.store.groupsWithExpiredMembers(this.clock())) {
      membersExpired += await this.coordinator.expire(groupId)
    }
    return { instancesExpired, membersExpired }
  }
}
