import { SERVED_APIS } from '../../protocol/apis.ts'
import { ErrorCode } from '../../protocol/error-codes.ts'
import {
  type ApiVersionsResponse,
  defaultApiVersionsResponse,
} from '../../protocol/messages/api-versions-response.ts'

function servedVersions() {
  return Object.entries(SERVED_APIS).map(([apiKey, api]) => ({
    apiKey: Number(apiKey),
    minVersion: api.minVersion,
    maxVersion: api.maxVersion,
  }))
}

export function apiVersions(): ApiVersionsResponse {
  return { ...defaultApiVersionsResponse(), apiKeys: servedVersions() }
}

/** The v0 answer to an ApiVersions version this side does not serve: the client retries with one it does. */
export function unsupportedApiVersions(): ApiVersionsResponse {
  return {
    ...defaultApiVersionsResponse(),
    errorCode: ErrorCode.UNSUPPORTED_VERSION,
    apiKeys: servedVersions(),
  }
}
