import type { APIGatewayProxyEventV2, Context } from 'aws-lambda'
import type { AuthMode } from '../auth/auth-mode.ts'
import { type EngineEndpoints, localCredentials, localRegion } from '../storage/aws/clients.ts'
import { type StorageNames, type TableId, tableNameVariable } from '../storage/tables.ts'

/**
 * Running a Lambda bundle on this machine: the environment the stack would
 * give it, pointed at local engines, and the events AWS would send it.
 */

export interface LocalFunctionEnvironment {
  readonly names: StorageNames
  readonly clusterId: string
  readonly authMode: AuthMode
  /** The local engines; without them the SDK's own configuration applies (AWS_ENDPOINT_URL). */
  readonly engines?: EngineEndpoints
}

export function localFunctionEnvironment({
  names,
  clusterId,
  authMode,
  engines,
}: LocalFunctionEnvironment): Record<string, string> {
  return {
    SLUICE_CLUSTER_ID: clusterId,
    SLUICE_AUTH_MODE: authMode,
    SLUICE_BUCKET: names.bucket,
    ...Object.fromEntries(
      Object.entries(names.tables).map(([id, table]) => [tableNameVariable(id as TableId), table]),
    ),
    ...(engines && {
      // The S3 client addresses buckets by path whenever AWS_ENDPOINT_URL is set, as s3rver needs.
      AWS_ENDPOINT_URL: engines.s3Endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: engines.dynamodbEndpoint,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_REGION: localRegion,
      // s3rver would store aws-chunked framing as object content.
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    }),
  }
}

export interface HttpRequest {
  readonly method: string
  /** Path and query, e.g. `/v3/clusters/c/topics?x=1`. */
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
}

/** The caller identity AWS adds to the event when IAM authenticated the request. */
const IAM_CALLER = {
  accessKey: 'AKIAIOSFODNN7EXAMPLE',
  accountId: '123456789012',
  callerId: 'AIDACKCEVSQ6C2EXAMPLE',
  cognitoIdentity: null,
  principalOrgId: null,
  userArn: 'arn:aws:iam::123456789012:user/producer',
  userId: 'AIDACKCEVSQ6C2EXAMPLE',
}

function payloadV2(
  request: HttpRequest,
  domainName: string,
  apiId: string,
  iam: boolean,
): APIGatewayProxyEventV2 {
  const [rawPath = '/', rawQueryString = ''] = request.path.split('?', 2)
  const headers: Record<string, string> = {
    host: domainName,
    'user-agent': 'curl/8.5.0',
    ...(request.body !== undefined && {
      'content-length': String(Buffer.byteLength(request.body)),
    }),
    ...request.headers,
  }
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: iam ? IAM_CALLER.accountId : 'anonymous',
      apiId,
      domainName,
      domainPrefix: apiId,
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'curl/8.5.0',
      },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(iam && { authorizer: { iam: IAM_CALLER } }),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(request.body !== undefined && { body: request.body }),
    isBase64Encoded: false,
  }
}

/** What a Lambda function URL sends; `iam` when its auth type is AWS_IAM and the caller signed. */
export function functionUrlEvent(
  request: HttpRequest,
  { iam = false } = {},
): APIGatewayProxyEventV2 {
  return payloadV2(request, 'abcdefghij.lambda-url.us-east-1.on.aws', 'abcdefghij', iam)
}

/** What an API Gateway HTTP API sends with payload format 2.0 on its `$default` route. */
export function httpApiEvent(request: HttpRequest, { iam = false } = {}): APIGatewayProxyEventV2 {
  return payloadV2(request, 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com', 'a1b2c3d4e5', iam)
}

/** A Lambda context for one local invocation. */
export function localContext(functionName = 'sluice-api'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  }
}
