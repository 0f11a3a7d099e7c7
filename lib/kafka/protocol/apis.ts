/**
 * The APIs the gateway serves and the versions it offers of each: within what
 * the generated codecs read, capped where a later version would need what
 * Sluice does not keep (topic ids in Produce and Fetch requests).
 */
import type { MessageCodec } from './codec.ts'
import { apiVersionsRequest } from './messages/api-versions-request.ts'
import { apiVersionsResponse } from './messages/api-versions-response.ts'
import { createPartitionsRequest } from './messages/create-partitions-request.ts'
import { createPartitionsResponse } from './messages/create-partitions-response.ts'
import { createTopicsRequest } from './messages/create-topics-request.ts'
import { createTopicsResponse } from './messages/create-topics-response.ts'
import { deleteTopicsRequest } from './messages/delete-topics-request.ts'
import { deleteTopicsResponse } from './messages/delete-topics-response.ts'
import { describeClusterRequest } from './messages/describe-cluster-request.ts'
import { describeClusterResponse } from './messages/describe-cluster-response.ts'
import { describeConfigsRequest } from './messages/describe-configs-request.ts'
import { describeConfigsResponse } from './messages/describe-configs-response.ts'
import { fetchRequest } from './messages/fetch-request.ts'
import { fetchResponse } from './messages/fetch-response.ts'
import { incrementalAlterConfigsRequest } from './messages/incremental-alter-configs-request.ts'
import { incrementalAlterConfigsResponse } from './messages/incremental-alter-configs-response.ts'
import { listOffsetsRequest } from './messages/list-offsets-request.ts'
import { listOffsetsResponse } from './messages/list-offsets-response.ts'
import { metadataRequest } from './messages/metadata-request.ts'
import { metadataResponse } from './messages/metadata-response.ts'
import { produceRequest } from './messages/produce-request.ts'
import { produceResponse } from './messages/produce-response.ts'

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
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DescribeConfigs: 32,
  CreatePartitions: 37,
  IncrementalAlterConfigs: 44,
  DescribeCluster: 60,
} as const

export const SERVED_APIS = {
  [API_KEYS.Produce]: served(produceRequest, produceResponse, 12),
  [API_KEYS.Fetch]: served(fetchRequest, fetchResponse, 12),
  [API_KEYS.ListOffsets]: served(listOffsetsRequest, listOffsetsResponse),
  [API_KEYS.Metadata]: served(metadataRequest, metadataResponse, 12),
  [API_KEYS.ApiVersions]: served(apiVersionsRequest, apiVersionsResponse),
  [API_KEYS.CreateTopics]: served(createTopicsRequest, createTopicsResponse),
  [API_KEYS.DeleteTopics]: served(deleteTopicsRequest, deleteTopicsResponse),
  [API_KEYS.DescribeConfigs]: served(describeConfigsRequest, describeConfigsResponse),
  [API_KEYS.CreatePartitions]: served(createPartitionsRequest, createPartitionsResponse),
  [API_KEYS.IncrementalAlterConfigs]: served(
    incrementalAlterConfigsRequest,
    incrementalAlterConfigsResponse,
  ),
  [API_KEYS.DescribeCluster]: served(describeClusterRequest, describeClusterResponse),
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
