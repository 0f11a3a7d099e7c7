import type { TopicItem } from '../../../storage/ports/topics.ts'
import { ErrorCode } from '../../protocol/error-codes.ts'
import type { ListOffsetsRequest } from '../../protocol/messages/list-offsets-request.ts'
import {
  defaultListOffsetsResponse,
  defaultListOffsetsResponseListOffsetsPartitionResponse,
  type ListOffsetsResponse,
  type ListOffsetsResponseListOffsetsPartitionResponse,
} from '../../protocol/messages/list-offsets-response.ts'
import type { GatewayContext } from '../context.ts'
import { errorCodeFor } from '../error-codes.ts'
import { hasPartition, lookUpTopics } from './topic-lookup.ts'

/** Kafka's special timestamps. */
const LATEST = -1
const EARLIEST = -2

async function listOffset(
  context: GatewayContext,
  topic: TopicItem,
  partitionIndex: number,
  timestamp: number,
): Promise<ListOffsetsResponseListOffsetsPartitionResponse> {
  const answer = {
    ...defaultListOffsetsResponseListOffsetsPartitionResponse(),
    partitionIndex,
    leaderEpoch: 0,
  }
  try {
    const head = await context.broker.heads.readOne(topic.topicId, partitionIndex)
    if (timestamp === LATEST) return { ...answer, offset: head.logEndOffset }
    if (timestamp === EARLIEST) return { ...answer, offset: head.logStartOffset }
    if (timestamp < 0) return { ...answer, errorCode: ErrorCode.UNSUPPORTED_VERSION }
    const offset = await context.broker.reader.offsetForTimestamp(topic, partitionIndex, timestamp)
    // No record at or after the timestamp: Kafka answers offset and timestamp -1.
    if (offset >= head.logEndOffset) return answer
    return { ...answer, offset }
  } catch (error) {
    return { ...answer, errorCode: errorCodeFor(error) }
  }
}

export async function listOffsets(
  context: GatewayContext,
  request: ListOffsetsRequest,
): Promise<ListOffsetsResponse> {
  const topics = await lookUpTopics(
    context,
    request.topics.map((t) => t.name),
  )
  return {
    ...defaultListOffsetsResponse(),
    topics: await Promise.all(
      request.topics.map(async (requested) => {
        const topic = topics.get(requested.name)
        return {
          name: requested.name,
          partitions: await Promise.all(
            requested.partitions.map((p) =>
              topic && hasPartition(topic, p.partitionIndex)
                ? listOffset(context, topic, p.partitionIndex, p.timestamp)
                : {
                    ...defaultListOffsetsResponseListOffsetsPartitionResponse(),
                    partitionIndex: p.partitionIndex,
                    errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                  },
            ),
          ),
        }
      }),
    ),
  }
}
