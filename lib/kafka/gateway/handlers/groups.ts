/**
 * Kafka's classic group protocol over the KIP-848-style coordinator of
 * lib/groups. Assignment happens on the server: no member is named leader, so
 * every member sends an empty SyncGroup and gets its share back. A member is
 * told to rejoin (REBALANCE_IN_PROGRESS) whenever its share changes; classic
 * members give up everything before rejoining, so a partition is never held
 * by two members at once.
 */
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { isAssignorName } from '../../../groups/assignors/assignors.ts'
import type { MemberAssignment } from '../../../groups/coordinator.ts'
import { validateGroupId } from '../../../groups/names.ts'
import { ErrorCode } from '../../protocol/error-codes.ts'
import type { FindCoordinatorRequest } from '../../protocol/messages/find-coordinator-request.ts'
import {
  defaultFindCoordinatorResponse,
  type FindCoordinatorResponse,
} from '../../protocol/messages/find-coordinator-response.ts'
import type { HeartbeatRequest } from '../../protocol/messages/heartbeat-request.ts'
import type { HeartbeatResponse } from '../../protocol/messages/heartbeat-response.ts'
import type { JoinGroupRequest } from '../../protocol/messages/join-group-request.ts'
import {
  defaultJoinGroupResponse,
  type JoinGroupResponse,
} from '../../protocol/messages/join-group-response.ts'
import type { LeaveGroupRequest } from '../../protocol/messages/leave-group-request.ts'
import type { LeaveGroupResponse } from '../../protocol/messages/leave-group-response.ts'
import type { SyncGroupRequest } from '../../protocol/messages/sync-group-request.ts'
import {
  defaultSyncGroupResponse,
  type SyncGroupResponse,
} from '../../protocol/messages/sync-group-response.ts'
import { readSubscribedTopics, writeAssignment } from '../consumer-protocol.ts'
import type { GatewayContext } from '../context.ts'
import { errorCodeFor } from '../error-codes.ts'

const PROTOCOL_TYPE = 'consumer'
/** No member is the leader: the coordinator assigns. */
const NO_LEADER = ''
/** How long a SyncGroup waits for partitions other members are still giving up. */
const SYNC_WAIT_MS = 10_000
const SYNC_POLL_MS = 250

export function findCoordinator(
  context: GatewayContext,
  request: FindCoordinatorRequest,
): FindCoordinatorResponse {
  const { nodeId, host, port } = context.node
  // Any node coordinates any group: the state is in DynamoDB.
  return {
    ...defaultFindCoordinatorResponse(),
    nodeId,
    host,
    port,
    coordinators: request.coordinatorKeys.map((key) => ({
      key,
      nodeId,
      host,
      port,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
    })),
  }
}

/** The kind of assignor a client names, when the server has one like it. */
function assignorOf(protocol: string) {
  const name = protocol.toLowerCase().replace('assigner', '')
  return isAssignorName(name) ? name : undefined
}

export async function joinGroup(
  context: GatewayContext,
  request: JoinGroupRequest,
  clientId: string | null,
): Promise<JoinGroupResponse> {
  const failed = (errorCode: number) => ({
    ...defaultJoinGroupResponse(),
    errorCode,
    generationId: -1,
    memberId: request.memberId,
  })
  const [protocol] = request.protocols
  if (request.protocolType !== PROTOCOL_TYPE || protocol === undefined) {
    return failed(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
  }
  let topics: string[]
  try {
    validateGroupId(request.groupId)
    topics = readSubscribedTopics(protocol.metadata)
  } catch {
    return failed(
      request.groupId === '' ? ErrorCode.INVALID_GROUP_ID : ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    )
  }
  const memberId = request.memberId || `${clientId ?? 'consumer'}-${randomUUID()}`
  const assignor = assignorOf(protocol.name)
  try {
    const joined = await context.groups.coordinator.rejoin({
      groupId: request.groupId,
      memberId,
      subscription: { kind: 'topics', topics },
      ...(assignor !== undefined && { assignor }),
      sessionTimeoutMs: request.sessionTimeoutMs,
      clientId: clientId ?? '',
    })
    return {
      ...defaultJoinGroupResponse(),
      generationId: joined.memberEpoch,
      protocolType: PROTOCOL_TYPE,
      protocolName: protocol.name,
      leader: NO_LEADER,
      memberId,
    }
  } catch (error) {
    return { ...failed(errorCodeFor(error)), memberId }
  }
}

/** Whether a classic member, which holds its share of `generation`, must rejoin. */
function mustRejoin(assignment: MemberAssignment, generation: number): boolean {
  return (
    assignment.memberEpoch !== generation ||
    assignment.revoking.length > 0 ||
    assignment.pending.length > 0
  )
}

/**
 * Answers with the member's whole share, waiting while others still give up
 * parts of it; a member whose share changed meanwhile is told to rejoin.
 */
export async function syncGroup(
  context: GatewayContext,
  request: SyncGroupRequest,
): Promise<SyncGroupResponse> {
  const answer = {
    ...defaultSyncGroupResponse(),
    protocolType: PROTOCOL_TYPE,
    protocolName: request.protocolName,
  }
  const deadline = context.clock() + SYNC_WAIT_MS
  try {
    for (;;) {
      const assignment = await context.groups.coordinator.heartbeat({
        groupId: request.groupId,
        memberId: request.memberId,
        memberEpoch: request.generationId,
      })
      if (assignment.memberEpoch !== request.generationId || assignment.revoking.length > 0) {
        return { ...answer, errorCode: ErrorCode.REBALANCE_IN_PROGRESS }
      }
      if (assignment.pending.length === 0) {
        return { ...answer, assignment: writeAssignment(assignment.partitions) }
      }
      if (context.clock() >= deadline)
        return { ...answer, errorCode: ErrorCode.REBALANCE_IN_PROGRESS }
      await sleep(SYNC_POLL_MS)
    }
  } catch (error) {
    return { ...answer, errorCode: errorCodeFor(error) }
  }
}

export async function heartbeat(
  context: GatewayContext,
  request: HeartbeatRequest,
): Promise<HeartbeatResponse> {
  try {
    const assignment = await context.groups.coordinator.heartbeat({
      groupId: request.groupId,
      memberId: request.memberId,
      memberEpoch: request.generationId,
    })
    const errorCode = mustRejoin(assignment, request.generationId)
      ? ErrorCode.REBALANCE_IN_PROGRESS
      : ErrorCode.NONE
    return { throttleTimeMs: 0, errorCode }
  } catch (error) {
    return { throttleTimeMs: 0, errorCode: errorCodeFor(error) }
  }
}

export async function leaveGroup(
  context: GatewayContext,
  request: LeaveGroupRequest,
): Promise<LeaveGroupResponse> {
  // v3 and later name the members leaving; earlier versions, the one sending.
  const members =
    request.members.length > 0
      ? request.members
      : [{ memberId: request.memberId, groupInstanceId: null, reason: null }]
  const results = await Promise.all(
    members.map(async ({ memberId, groupInstanceId }) => {
      try {
        await context.groups.coordinator.leave(request.groupId, memberId)
        return { memberId, groupInstanceId, errorCode: ErrorCode.NONE }
      } catch (error) {
        return { memberId, groupInstanceId, errorCode: errorCodeFor(error) }
      }
    }),
  )
  const failed = results.find((result) => result.errorCode !== ErrorCode.NONE)
  return { throttleTimeMs: 0, errorCode: failed?.errorCode ?? ErrorCode.NONE, members: results }
}
