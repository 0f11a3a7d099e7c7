import { API_KEYS } from '../protocol/apis.ts'
import type { DecodedRequest } from '../protocol/frames.ts'
import type { FetchRequest } from '../protocol/messages/fetch-request.ts'
import type { ListOffsetsRequest } from '../protocol/messages/list-offsets-request.ts'
import type { MetadataRequest } from '../protocol/messages/metadata-request.ts'
import type { ProduceRequest } from '../protocol/messages/produce-request.ts'
import type { GatewayContext } from './context.ts'
import { apiVersions } from './handlers/api-versions.ts'
import { fetch } from './handlers/fetch.ts'
import { listOffsets } from './handlers/list-offsets.ts'
import { metadata } from './handlers/metadata.ts'
import { produce } from './handlers/produce.ts'

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
    case API_KEYS.Fetch:
      return fetch(context, request.body as FetchRequest)
    case API_KEYS.ListOffsets:
      return listOffsets(context, request.body as ListOffsetsRequest)
    default:
      throw new UnservedApiError(`API key ${request.apiKey} has no handler`)
  }
}
