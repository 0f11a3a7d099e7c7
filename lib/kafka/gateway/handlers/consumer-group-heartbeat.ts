/**
 * KIP-848's ConsumerGroupHeartbeat, which is what lib/groups' coordinator
 * implements: the member reports what it holds, the coordinator answers with
 * its epoch and the partitions it may hold. Partitions travel by topic id.
 */
import { randomUUID } from 'node:crypto'
import { isAssignorName } from '../../../groups/assignors/assignors.ts'
import type { MemberAssignment } from '../../../groups/coordinator.ts'
import { FencedMemberEpochError } from '../../../groups/errors.ts'
import type { Subscription } from '../../../groups/subscription.ts'
import type { TopicPartition } from '../../../groups/topic-partitions.ts'
import { ErrorCode } from '../../protocol/error-codes.ts'
import type {
  ConsumerGroupHeartbeatRequest,
  ConsumerGroupHeartbeatRequestTopicPartitions,
} from '../../protocol/messages/consumer-group-heartbeat-request.ts'
import {
  type ConsumerGroupHeartbeatResponse,
  defaultConsumerGroupHeartbeatResponse,
} from '../../protocol/messages/consumer-group-heartbeat-response.ts'
import type { GatewayContext } from '../context.ts'
import { errorOf } from '../error-codes.ts'
import { lookUpTopics } from './topic-lookup.ts'

/** Kafka's group.consumer.heartbeat.interval.ms default. */
const HEARTBEAT_INTERVAL_MS = 5000
const JOIN_EPOCH = 0
const LEAVE_EPOCH = -1
const STATIC_LEAVE_EPOCH = -2

function subscriptionOf(request: ConsumerGroupHeartbeatRequest): Subscription | undefined {
  if (request.subscribedTopicRegex !== null && request.subscribedTopicRegex !== '') {
    return { kind: 'pattern', pattern: request.subscribedTopicRegex }
  }
  if (request.subscribedTopicNames !== null)
    return { kind: 'topics', topics: request.subscribedTopicNames }
  return undefined
}

/** Owned partitions by topic id, named; ids of topics that are gone are dropped, as the member will be. */
async function namedPartitions(
  context: GatewayContext,
  owned: readonly ConsumerGroupHeartbeatRequestTopicPartitions[],
): Promise<TopicPartition[]> {
  if (owned.length === 0) return []
  const names = new Map((await context.broker.topics.list()).map((t) => [t.topicId, t.name]))
  return owned.flatMap(({ topicId, partitions }) => {
    const topic = names.get(topicId)
    return topic === undefined ? [] : partitions.map((partition) => ({ topic, partition }))
  })
}

async function byTopicId(context: GatewayContext, partitions: readonly TopicPartition[]) {
  const topics = await lookUpTopics(
    context,
    partitions.map((p) => p.topic),
  )
  const grouped = new Map<string, number[]>()
  for (const { topic, partition } of partitions) {
    const topicId = topics.get(topic)?.topicId
    if (topicId !== undefined) grouped.set(topicId, [...(grouped.get(topicId) ?? []), partition])
  }
  return [...grouped].map(([topicId, indexes]) => ({ topicId, partitions: indexes }))
}

export async function consumerGroupHeartbeat(
  context: GatewayContext,
  request: ConsumerGroupHeartbeatRequest,
  clientId: string | null,
): Promise<ConsumerGroupHeartbeatResponse> {
  const { coordinator } = context.groups
  const memberId = request.memberId || randomUUID()
  const answer = {
    ...defaultConsumerGroupHeartbeatResponse(),
    memberId,
    heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
  }
  const assignor =
    request.serverAssignor !== null && isAssignorName(request.serverAssignor)
      ? request.serverAssignor
      : undefined
  try {
    if (request.memberEpoch === LEAVE_EPOCH || request.memberEpoch === STATIC_LEAVE_EPOCH) {
      await coordinator.leave(request.groupId, memberId)
      return { ...answer, memberEpoch: request.memberEpoch }
    }
    const subscription = subscriptionOf(request)
    let assignment: MemberAssignment
    if (request.memberEpoch === JOIN_EPOCH) {
      if (subscription === undefined) {
        return {
          ...answer,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: 'Joining needs a subscription.',
        }
      }
      assignment = await coordinator.join({
        groupId: request.groupId,
        memberId,
        subscription,
        ...(assignor !== undefined && { assignor }),
        clientId: clientId ?? '',
      })
    } else {
      const owned =
        request.topicPartitions === null
          ? undefined
          : await namedPartitions(context, request.topicPartitions)
      assignment = await coordinator.heartbeat({
        groupId: request.groupId,
        memberId,
        memberEpoch: request.memberEpoch,
        ...(owned !== undefined && { owned }),
        ...(subscription !== undefined && { subscription }),
        ...(assignor !== undefined && { assignor }),
      })
    }
    return {
      ...answer,
      memberEpoch: assignment.memberEpoch,
      assignment: { topicPartitions: await byTopicId(context, assignment.partitions) },
    }
  } catch (error) {
    const failure = errorOf(error)
    const errorCode =
      error instanceof FencedMemberEpochError ? ErrorCode.FENCED_MEMBER_EPOCH : failure.errorCode
    return { ...answer, ...failure, errorCode }
  }
}
