/** ListGroups, DescribeGroups and DeleteGroups over lib/groups' GroupAdmin. */

import { ConsumerGroupNotFoundError } from '../../../groups/errors.ts'
import type { GroupDescription, GroupStateName } from '../../../groups/group-admin.ts'
import { parsePartitionKey } from '../../../groups/topic-partitions.ts'
import { ErrorCode } from '../../protocol/error-codes.ts'
import type { DeleteGroupsRequest } from '../../protocol/messages/delete-groups-request.ts'
import type { DeleteGroupsResponse } from '../../protocol/messages/delete-groups-response.ts'
import type { DescribeGroupsRequest } from '../../protocol/messages/describe-groups-request.ts'
import {
  type DescribeGroupsResponse,
  type DescribeGroupsResponseDescribedGroup,
  defaultDescribeGroupsResponseDescribedGroup,
} from '../../protocol/messages/describe-groups-response.ts'
import type { ListGroupsRequest } from '../../protocol/messages/list-groups-request.ts'
import type { ListGroupsResponse } from '../../protocol/messages/list-groups-response.ts'
import { writeAssignment, writeSubscription } from '../consumer-protocol.ts'
import type { GatewayContext } from '../context.ts'
import { errorCodeFor } from '../error-codes.ts'

/** The classic protocol's names for the coordinator's states; a group reconciling is rebalancing. */
const CLASSIC_STATES: Record<GroupStateName, string> = {
  EMPTY: 'Empty',
  STABLE: 'Stable',
  RECONCILING: 'PreparingRebalance',
}
/** What Kafka answers for a group it does not know. */
const DEAD = 'Dead'
const OPERATIONS_OMITTED = -2147483648

export async function listGroups(
  context: GatewayContext,
  request: ListGroupsRequest,
): Promise<ListGroupsResponse> {
  const wanted = new Set(request.statesFilter.map((state) => state.toLowerCase()))
  const groups = (await context.groups.admin.list())
    .map(({ group, state }) => ({
      groupId: group.groupId,
      protocolType: 'consumer',
      groupState: CLASSIC_STATES[state],
      groupType: 'classic',
    }))
    .filter((group) => wanted.size === 0 || wanted.has(group.groupState.toLowerCase()))
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups }
}

function described({
  group,
  members,
  state,
}: GroupDescription): DescribeGroupsResponseDescribedGroup {
  return {
    ...defaultDescribeGroupsResponseDescribedGroup(),
    groupId: group.groupId,
    groupState: CLASSIC_STATES[state],
    protocolType: 'consumer',
    protocolData: group.assignor,
    members: members.map((member) => ({
      memberId: member.memberId,
      groupInstanceId: null,
      clientId: member.clientId,
      clientHost: '',
      memberMetadata: writeSubscription(
        member.subscription.kind === 'topics' ? member.subscription.topics : [],
      ),
      memberAssignment: writeAssignment(member.assigned.map(parsePartitionKey)),
    })),
    authorizedOperations: OPERATIONS_OMITTED,
  }
}

export async function describeGroups(
  context: GatewayContext,
  request: DescribeGroupsRequest,
): Promise<DescribeGroupsResponse> {
  const groups = await Promise.all(
    request.groups.map(async (groupId) => {
      try {
        return described(await context.groups.admin.describe(groupId))
      } catch (error) {
        const base = {
          ...defaultDescribeGroupsResponseDescribedGroup(),
          groupId,
          authorizedOperations: OPERATIONS_OMITTED,
        }
        if (error instanceof ConsumerGroupNotFoundError) return { ...base, groupState: DEAD }
        return { ...base, errorCode: errorCodeFor(error), errorMessage: (error as Error).message }
      }
    }),
  )
  return { throttleTimeMs: 0, groups }
}

export async function deleteGroups(
  context: GatewayContext,
  request: DeleteGroupsRequest,
): Promise<DeleteGroupsResponse> {
  const results = await Promise.all(
    request.groupsNames.map(async (groupId) => {
      try {
        await context.groups.admin.delete(groupId)
        return { groupId, errorCode: ErrorCode.NONE }
      } catch (error) {
        return { groupId, errorCode: errorCodeFor(error) }
      }
    }),
  )
  return { throttleTimeMs: 0, results }
}
