/** OffsetCommit and OffsetFetch over the coordinator's offset store. */
import {
  type Committer,
  MAX_OFFSET_METADATA_LENGTH,
  type OffsetToCommit,
} from '../../../groups/coordinator.ts'
import type { CommittedOffset } from '../../../storage/ports/offsets.ts'
import { ErrorCode } from '../../protocol/error-codes.ts'
import type { OffsetCommitRequest } from '../../protocol/messages/offset-commit-request.ts'
import type { OffsetCommitResponse } from '../../protocol/messages/offset-commit-response.ts'
import type { OffsetFetchRequest } from '../../protocol/messages/offset-fetch-request.ts'
import {
  defaultOffsetFetchResponse,
  type OffsetFetchResponse,
  type OffsetFetchResponseGroup,
} from '../../protocol/messages/offset-fetch-response.ts'
import type { GatewayContext } from '../context.ts'
import { errorCodeFor } from '../error-codes.ts'
import { hasPartition, lookUpTopics } from './topic-lookup.ts'

/** Kafka's "no generation": a consumer that assigned itself partitions, outside any group membership. */
const NO_GENERATION = -1

export async function offsetCommit(
  context: GatewayContext,
  request: OffsetCommitRequest,
): Promise<OffsetCommitResponse> {
  const topics = await lookUpTopics(
    context,
    request.topics.map((t) => t.name),
  )
  const codes = new Map<string, number>()
  const offsets: OffsetToCommit[] = []
  for (const requested of request.topics) {
    const topic = topics.get(requested.name)
    for (const p of requested.partitions) {
      const key = `${requested.name}/${p.partitionIndex}`
      if (topic === undefined || !hasPartition(topic, p.partitionIndex)) {
        codes.set(key, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
        continue
      }
      if ((p.committedMetadata ?? '').length > MAX_OFFSET_METADATA_LENGTH) {
        codes.set(key, ErrorCode.OFFSET_METADATA_TOO_LARGE)
        continue
      }
      offsets.push({
        topic: topic.name,
        partition: p.partitionIndex,
        topicId: topic.topicId,
        offset: p.committedOffset,
        metadata: p.committedMetadata ?? '',
      })
    }
  }
  const committer: Committer =
    request.generationIdOrMemberEpoch === NO_GENERATION && request.memberId === ''
      ? { kind: 'none' }
      : {
          kind: 'member',
          memberId: request.memberId,
          memberEpoch: request.generationIdOrMemberEpoch,
        }
  // One transaction for the lot: every partition shares its fate.
  let shared: number = ErrorCode.NONE
  try {
    await context.groups.coordinator.commit(request.groupId, committer, offsets)
  } catch (error) {
    shared = errorCodeFor(error)
  }
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      name: t.name,
      topicId: t.topicId,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: codes.get(`${t.name}/${p.partitionIndex}`) ?? shared,
      })),
    })),
  }
}

interface WantedTopics {
  readonly name: string
  readonly partitionIndexes: readonly number[]
}

async function fetchGroup(
  context: GatewayContext,
  groupId: string,
  wanted: readonly WantedTopics[] | null,
): Promise<OffsetFetchResponseGroup> {
  try {
    const committed = await context.groups.coordinator.committed(groupId)
    const names = wanted?.map((t) => t.name) ?? [...new Set(committed.map((c) => c.topic))]
    const topics = await lookUpTopics(context, names)
    // Offsets belong to a topic's incarnation: a re-created topic starts with none.
    const current = (c: CommittedOffset) => topics.get(c.topic)?.topicId === c.topicId
    const byKey = new Map(committed.filter(current).map((c) => [`${c.topic}/${c.partition}`, c]))
    const asked =
      wanted ??
      names.map((name) => ({
        name,
        partitionIndexes: committed
          .filter((c) => c.topic === name && current(c))
          .map((c) => c.partition),
      }))
    return {
      groupId,
      errorCode: ErrorCode.NONE,
      topics: asked.map(({ name, partitionIndexes }) => ({
        name,
        topicId: topics.get(name)?.topicId ?? '00000000-0000-0000-0000-000000000000',
        partitions: partitionIndexes.map((partitionIndex) => {
          const found = byKey.get(`${name}/${partitionIndex}`)
          return {
            partitionIndex,
            committedOffset: found?.offset ?? -1,
            committedLeaderEpoch: -1,
            metadata: found?.metadata ?? '',
            errorCode: ErrorCode.NONE,
          }
        }),
      })),
    }
  } catch (error) {
    return { groupId, errorCode: errorCodeFor(error), topics: [] }
  }
}

/** v8 and later batch groups; earlier versions ask for one. */
export async function offsetFetch(
  context: GatewayContext,
  request: OffsetFetchRequest,
  version: number,
): Promise<OffsetFetchResponse> {
  if (version >= 8) {
    const groups = await Promise.all(
      request.groups.map((group) => fetchGroup(context, group.groupId, group.topics)),
    )
    return { ...defaultOffsetFetchResponse(), groups }
  }
  const group = await fetchGroup(context, request.groupId, request.topics)
  return { ...defaultOffsetFetchResponse(), errorCode: group.errorCode, topics: group.topics }
}
