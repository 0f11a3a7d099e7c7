import type { TopicItem } from '../../../storage/ports/topics.ts'
import { ErrorCode } from '../../protocol/error-codes.ts'
import type { MetadataRequest } from '../../protocol/messages/metadata-request.ts'
import {
  defaultMetadataResponse,
  defaultMetadataResponseTopic,
  type MetadataResponse,
  type MetadataResponseTopic,
} from '../../protocol/messages/metadata-response.ts'
import type { GatewayContext } from '../context.ts'
import { lookUpTopics } from './topic-lookup.ts'

/** Kafka's "not requested" value for authorized operations. */
const OPERATIONS_OMITTED = -2147483648
const NULL_TOPIC_ID = '00000000-0000-0000-0000-000000000000'

/**
 * Stateless like the brokers of WarpStream and Bufstream: this node is the
 * whole cluster, leader and only replica of every partition, so a client
 * sends everything to whichever node the load balancer gives it.
 */
function describe(context: GatewayContext, topic: TopicItem): MetadataResponseTopic {
  const { nodeId } = context.node
  return {
    ...defaultMetadataResponseTopic(),
    name: topic.name,
    topicId: topic.topicId,
    partitions: Array.from({ length: topic.partitionsCount }, (_, partitionIndex) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex,
      leaderId: nodeId,
      leaderEpoch: 0,
      replicaNodes: [nodeId],
      isrNodes: [nodeId],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: OPERATIONS_OMITTED,
  }
}

function unknown(name: string): MetadataResponseTopic {
  return {
    ...defaultMetadataResponseTopic(),
    errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    name,
    topicAuthorizedOperations: OPERATIONS_OMITTED,
  }
}

async function topicsOf(
  context: GatewayContext,
  request: MetadataRequest,
  version: number,
): Promise<MetadataResponseTopic[]> {
  // Null asks for every topic, and so does an empty list in v0.
  if (request.topics === null || (version === 0 && request.topics.length === 0)) {
    const all = await context.broker.topics.list()
    return all.map((topic) => describe(context, topic))
  }
  const byId = request.topics.some((topic) => topic.name === null)
  const all = byId ? await context.broker.topics.list() : []
  const names = request.topics.map(
    (topic) => topic.name ?? all.find((item) => item.topicId === topic.topicId)?.name,
  )
  const found = await lookUpTopics(
    context,
    names.filter((name) => name !== undefined),
  )
  return request.topics.map((requested, i) => {
    const name = names[i]
    const topic = name === undefined ? undefined : found.get(name)
    if (topic) return describe(context, topic)
    if (name !== undefined) return unknown(name)
    return {
      ...unknown(''),
      name: null,
      topicId: requested.topicId ?? NULL_TOPIC_ID,
      errorCode: ErrorCode.UNKNOWN_TOPIC_ID,
    }
  })
}

export async function metadata(
  context: GatewayContext,
  request: MetadataRequest,
  version: number,
): Promise<MetadataResponse> {
  const { node } = context
  return {
    ...defaultMetadataResponse(),
    brokers: [{ nodeId: node.nodeId, host: node.host, port: node.port, rack: null }],
    clusterId: context.clusterId,
    controllerId: node.nodeId,
    topics: await topicsOf(context, request, version),
    clusterAuthorizedOperations: OPERATIONS_OMITTED,
  }
}
