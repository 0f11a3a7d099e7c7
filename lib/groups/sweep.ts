import type { GroupStore } from '../storage/ports/groups.ts'
import type { GroupCoordinator } from './coordinator.ts'

/**
 * What a scheduler runs now and then: expire members whose session ran out in
 * groups nobody has touched since. Group operations do the same lazily; the
 * sweep makes it happen in quiet groups too.
 */
export class GroupSweeper {
  constructor(
    private readonly store: GroupStore,
    private readonly coordinator: GroupCoordinator,
    private readonly clock: () => number,
  ) {}

  /** How many members it expired. */
  async sweep(): Promise<number> {
    let expired = 0
    for (const groupId of await this.store.groupsWithExpiredMembers(this.clock())) {
      expired += await this.coordinator.expire(groupId)
    }
    return expired
  }
}
