/**
 * The APIs the gateway serves and the versions it offers of each: within what
 * the generated codecs read, capped where a later version names topics by id
 * (Produce, Fetch, OffsetCommit and OffsetFetch), which this side does not yet resolve.
 */
import type { MessageCodec } from './codec.ts'
import { apiVersionsRequest } from './messages/api-versions-request.ts'
import { apiVersionsResponse } from './messages/api-versions-response.ts'
import { consumerGroupHeartbeatRequest } from './messages/consumer-group-heartbeat-request.ts'
import { consumerGroupHeartbeatResponse } from './messages/consumer-group-heartbeat-response.ts'
import { createPartitionsRequest } from './messages/create-partitions-request.ts'
import { createPartitionsResponse } from './messages/create-partitions-response.ts'
import { createTopicsRequest } from './messages/create-topics-request.ts'
import { createTopicsResponse } from './messages/create-topics-response.ts'
import { deleteGroupsRequest } from './messages/delete-groups-request.ts'
import { deleteGroupsResponse } from './messages/delete-groups-response.ts'
import { deleteTopicsRequest } from './messages/delete-topics-request.ts'
import { deleteTopicsResponse } from './messages/delete-topics-response.ts'
import { describeClusterRequest } from './messages/describe-cluster-request.ts'
import { describeClusterResponse } from './messages/describe-cluster-response.ts'
import { describeConfigsRequest } from './messages/describe-configs-request.ts'
import { describeConfigsResponse } from './messages/describe-configs-response.ts'
import { describeGroupsRequest } from './messages/describe-groups-request.ts'
import { describeGroupsResponse } from './messages/describe-groups-response.ts'
import { fetchRequest } from './messages/fetch-request.ts'
import { fetchResponse } from './messages/fetch-response.ts'
import { findCoordinatorRequest } from './messages/find-coordinator-request.ts'
import { findCoordinatorResponse } from './messages/find-coordinator-response.ts'
import { heartbeatRequest } from './messages/heartbeat-request.ts'
import { heartbeatResponse } from './messages/heartbeat-response.ts'
import { incrementalAlterConfigsRequest } from './messages/incremental-alter-configs-request.ts'
import { incrementalAlterConfigsResponse } from './messages/incremental-alter-configs-response.ts'
import { initProducerIdRequest } from './messages/init-producer-id-request.ts'
import { initProducerIdResponse } from './messages/init-producer-id-response.ts'
import { joinGroupRequest } from './messages/join-group-request.ts'
import { joinGroupResponse } from './messages/join-group-response.ts'
import { leaveGroupRequest } from './messages/leave-group-request.ts'
import { leaveGroupResponse } from './messages/leave-group-response.ts'
import { listGroupsRequest } from './messages/list-groups-request.ts'
import { listGroupsResponse } from './messages/list-groups-response.ts'
import { listOffsetsRequest } from './messages/list-offsets-request.ts'
import { listOffsetsResponse } from './messages/list-offsets-response.ts'
import { metadataRequest } from './messages/metadata-request.ts'
import { metadataResponse } from './messages/metadata-response.ts'
import { offsetCommitRequest } from './messages/offset-commit-request.ts'
import { offsetCommitResponse } from './messages/offset-commit-response.ts'
import { offsetFetchRequest } from './messages/offset-fetch-request.ts'
import { offsetFetchResponse } from './messages/offset-fetch-response.ts'
import { produceRequest } from './messages/produce-request.ts'
import { produceResponse } from './messages/produce-response.ts'
import { saslAuthenticateRequest } from './messages/sasl-authenticate-request.ts'
import { saslAuthenticateResponse } from './messages/sasl-authenticate-response.ts'
import { saslHandshakeRequest } from './messages/sasl-handshake-request.ts'
import { saslHandshakeResponse } from './messages/sasl-handshake-response.ts'
import { syncGroupRequest } from './messages/sync-group-request.ts'
import { syncGroupResponse } from './messages/sync-group-response.ts'

export interface ServedApi<Request = unknown, Response = unknown> {
  readonly request: MessageCodec<Request>
  readonly response: MessageCodec<Response>
  readonly minVersion: number
  readonly maxVersion: number
}

function served<Request, Response>(
  request: MessageCodec<Request>,
  response: MessageCodec<Response>,
  maxVersion = request.maxVersion,
): ServedApi<Request, Response> {
  return { request, response, minVersion: request.minVersion, maxVersion }
}

export const API_KEYS = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
  DescribeConfigs: 32,
  SaslAuthenticate: 36,
  DeleteGroups: 42,
  CreatePartitions: 37,
  IncrementalAlterConfigs: 44,
  DescribeCluster: 60,
  ConsumerGroupHeartbeat: 68,
} as const

export const SERVED_APIS = {
  [API_KEYS.Produce]: served(produceRequest, produceResponse, 12),
  [API_KEYS.Fetch]: served(fetchRequest, fetchResponse, 12),
  [API_KEYS.ListOffsets]: served(listOffsetsRequest, listOffsetsResponse),
  [API_KEYS.Metadata]: served(metadataRequest, metadataResponse, 12),
  [API_KEYS.ApiVersions]: served(apiVersionsRequest, apiVersionsResponse),
  [API_KEYS.OffsetCommit]: served(offsetCommitRequest, offsetCommitResponse, 9),
  [API_KEYS.OffsetFetch]: served(offsetFetchRequest, offsetFetchResponse, 9),
  [API_KEYS.FindCoordinator]: served(findCoordinatorRequest, findCoordinatorResponse),
  [API_KEYS.JoinGroup]: served(joinGroupRequest, joinGroupResponse),
  [API_KEYS.Heartbeat]: served(heartbeatRequest, heartbeatResponse),
  [API_KEYS.LeaveGroup]: served(leaveGroupRequest, leaveGroupResponse),
  [API_KEYS.SyncGroup]: served(syncGroupRequest, syncGroupResponse),
  [API_KEYS.DescribeGroups]: served(describeGroupsRequest, describeGroupsResponse),
  [API_KEYS.ListGroups]: served(listGroupsRequest, listGroupsResponse),
  // Version 0 is advertised because librdkafka looks for it, but a client that then sends raw
  // SASL tokens outside Kafka's framing is closed: every current client uses SaslAuthenticate.
  [API_KEYS.SaslHandshake]: served(saslHandshakeRequest, saslHandshakeResponse),
  [API_KEYS.SaslAuthenticate]: served(saslAuthenticateRequest, saslAuthenticateResponse),
  [API_KEYS.DeleteGroups]: served(deleteGroupsRequest, deleteGroupsResponse),
  [API_KEYS.CreateTopics]: served(createTopicsRequest, createTopicsResponse),
  [API_KEYS.DeleteTopics]: served(deleteTopicsRequest, deleteTopicsResponse),
  [API_KEYS.InitProducerId]: served(initProducerIdRequest, initProducerIdResponse),
  [API_KEYS.DescribeConfigs]: served(describeConfigsRequest, describeConfigsResponse),
  [API_KEYS.CreatePartitions]: served(createPartitionsRequest, createPartitionsResponse),
  [API_KEYS.IncrementalAlterConfigs]: served(
    incrementalAlterConfigsRequest,
    incrementalAlterConfigsResponse,
  ),
  [API_KEYS.DescribeCluster]: served(describeClusterRequest, describeClusterResponse),
  [API_KEYS.ConsumerGroupHeartbeat]: served(
    consumerGroupHeartbeatRequest,
    consumerGroupHeartbeatResponse,
  ),
} as const

export function servedApi(apiKey: number): ServedApi | undefined {
  return (SERVED_APIS as Record<number, ServedApi>)[apiKey]
}

function isFlexible(codec: MessageCodec<unknown>, version: number): boolean {
  return codec.flexibleFrom !== null && version >= codec.flexibleFrom
}

/** Request header v2 (tagged fields) goes with flexible request versions, v1 with the rest. */
export function requestHeaderVersion(api: ServedApi, version: number): number {
  return isFlexible(api.request, version) ? 2 : 1
}

/**
 * Response header v1 goes with flexible versions, except for ApiVersions,
 * whose response always has header v0 so a client can read it whatever
 * version it asked for.
 */
export function responseHeaderVersion(apiKey: number, api: ServedApi, version: number): number {
  if (apiKey === API_KEYS.ApiVersions) return 0
  return isFlexible(api.response, version) ? 1 : 0
}
