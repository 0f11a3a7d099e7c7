import { API_KEYS } from '../protocol/apis.ts'
import type { DecodedRequest } from '../protocol/frames.ts'
import type { ConsumerGroupHeartbeatRequest } from '../protocol/messages/consumer-group-heartbeat-request.ts'
import type { CreatePartitionsRequest } from '../protocol/messages/create-partitions-request.ts'
import type { CreateTopicsRequest } from '../protocol/messages/create-topics-request.ts'
import type { DeleteGroupsRequest } from '../protocol/messages/delete-groups-request.ts'
import type { DeleteTopicsRequest } from '../protocol/messages/delete-topics-request.ts'
import type { DescribeConfigsRequest } from '../protocol/messages/describe-configs-request.ts'
import type { DescribeGroupsRequest } from '../protocol/messages/describe-groups-request.ts'
import type { FetchRequest } from '../protocol/messages/fetch-request.ts'
import type { FindCoordinatorRequest } from '../protocol/messages/find-coordinator-request.ts'
import type { HeartbeatRequest } from '../protocol/messages/heartbeat-request.ts'
import type { IncrementalAlterConfigsRequest } from '../protocol/messages/incremental-alter-configs-request.ts'
import type { InitProducerIdRequest } from '../protocol/messages/init-producer-id-request.ts'
import type { JoinGroupRequest } from '../protocol/messages/join-group-request.ts'
import type { LeaveGroupRequest } from '../protocol/messages/leave-group-request.ts'
import type { ListGroupsRequest } from '../protocol/messages/list-groups-request.ts'
import type { ListOffsetsRequest } from '../protocol/messages/list-offsets-request.ts'
import type { MetadataRequest } from '../protocol/messages/metadata-request.ts'
import type { OffsetCommitRequest } from '../protocol/messages/offset-commit-request.ts'
import type { OffsetFetchRequest } from '../protocol/messages/offset-fetch-request.ts'
import type { ProduceRequest } from '../protocol/messages/produce-request.ts'
import type { SyncGroupRequest } from '../protocol/messages/sync-group-request.ts'
import type { GatewayContext } from './context.ts'
import { apiVersions } from './handlers/api-versions.ts'
import { describeConfigs, incrementalAlterConfigs } from './handlers/configs.ts'
import { consumerGroupHeartbeat } from './handlers/consumer-group-heartbeat.ts'
import { describeCluster } from './handlers/describe-cluster.ts'
import { fetch } from './handlers/fetch.ts'
import { deleteGroups, describeGroups, listGroups } from './handlers/group-admin.ts'
import { findCoordinator, heartbeat, joinGroup, leaveGroup, syncGroup } from './handlers/groups.ts'
import { initProducerId } from './handlers/init-producer-id.ts'
import { listOffsets } from './handlers/list-offsets.ts'
import { metadata } from './handlers/metadata.ts'
import { offsetCommit, offsetFetch } from './handlers/offsets.ts'
import { produce } from './handlers/produce.ts'
import { createPartitions, createTopics, deleteTopics } from './handlers/topic-admin.ts'

export class UnservedApiError extends Error {
  override name = 'UnservedApiError'
}

/** The response body for a request (its codec is the API's), or undefined when none is sent. */
export async function dispatch(context: GatewayContext, request: DecodedRequest): Promise<unknown> {
  // Each body was read by the codec of its API key, so the casts restate what frames.ts decoded.
  switch (request.apiKey) {
    case API_KEYS.ApiVersions:
      return apiVersions()
    case API_KEYS.Metadata:
      return metadata(context, request.body as MetadataRequest, request.apiVersion)
    case API_KEYS.Produce:
      return produce(context, request.body as ProduceRequest)
    case API_KEYS.InitProducerId:
      return initProducerId(context, request.body as InitProducerIdRequest)
    case API_KEYS.Fetch:
      return fetch(context, request.body as FetchRequest)
    case API_KEYS.ListOffsets:
      return listOffsets(context, request.body as ListOffsetsRequest)
    case API_KEYS.CreateTopics:
      return createTopics(context, request.body as CreateTopicsRequest)
    case API_KEYS.DeleteTopics:
      return deleteTopics(context, request.body as DeleteTopicsRequest)
    case API_KEYS.CreatePartitions:
      return createPartitions(context, request.body as CreatePartitionsRequest)
    case API_KEYS.DescribeConfigs:
      return describeConfigs(context, request.body as DescribeConfigsRequest)
    case API_KEYS.IncrementalAlterConfigs:
      return incrementalAlterConfigs(context, request.body as IncrementalAlterConfigsRequest)
    case API_KEYS.FindCoordinator:
      return findCoordinator(context, request.body as FindCoordinatorRequest)
    case API_KEYS.JoinGroup:
      return joinGroup(context, request.body as JoinGroupRequest, request.clientId)
    case API_KEYS.SyncGroup:
      return syncGroup(context, request.body as SyncGroupRequest)
    case API_KEYS.Heartbeat:
      return heartbeat(context, request.body as HeartbeatRequest)
    case API_KEYS.LeaveGroup:
      return leaveGroup(context, request.body as LeaveGroupRequest)
    case API_KEYS.OffsetCommit:
      return offsetCommit(context, request.body as OffsetCommitRequest)
    case API_KEYS.OffsetFetch:
      return offsetFetch(context, request.body as OffsetFetchRequest, request.apiVersion)
    case API_KEYS.ListGroups:
      return listGroups(context, request.body as ListGroupsRequest)
    case API_KEYS.DescribeGroups:
      return describeGroups(context, request.body as DescribeGroupsRequest)
    case API_KEYS.DeleteGroups:
      return deleteGroups(context, request.body as DeleteGroupsRequest)
    case API_KEYS.ConsumerGroupHeartbeat:
      return consumerGroupHeartbeat(
        context,
        request.body as ConsumerGroupHeartbeatRequest,
        request.clientId,
      )
    case API_KEYS.DescribeCluster:
      return describeCluster(context)
    default:
      throw new UnservedApiError(`API key ${request.apiKey} has no handler`)
  }
}
