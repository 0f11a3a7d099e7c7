import type { Services } from './services.ts'

/**
 * The scheduled sweep: retire idle v2 consumer instances first (their members
 * leave, committing with auto-commit), then expire members whose session ran
 * out in groups no request has touched since.
 */
export async function sweepGroups(
  services: Pick<Services, 'groups' | 'consumerInstances'>,
): Promise<{ readonly instancesExpired: number; readonly membersExpired: number }> {
  const instancesExpired = await services.consumerInstances.expireIdle()
  return { instancesExpired, membersExpired: await services.groups.sweeper.sweep() }
}
