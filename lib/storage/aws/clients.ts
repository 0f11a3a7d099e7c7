import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'

export interface AwsClients {
  readonly dynamodb: DynamoDBClient
  readonly s3: S3Client
}

/** Endpoints of engines that stand in for AWS on this machine (DynamoDB Local, s3rver). */
export interface EngineEndpoints {
  readonly dynamodbEndpoint: string
  readonly s3Endpoint: string
}

/**
 * What clients of the local engines sign with. s3rver checks for exactly these
 * keys; DynamoDB Local accepts any, so one pair serves both.
 */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const

export const localRegion = 'us-east-1'

/**
 * Clients for the given local engines, or, without them, for whatever the SDK's
 * own configuration names: AWS itself, or AWS_ENDPOINT_URL (LocalStack).
 */
export function createAwsClients(engines?: EngineEndpoints): AwsClients {
  if (!engines) {
    return {
      dynamodb: new DynamoDBClient({}),
      // Endpoint overrides such as LocalStack's answer on one host name, not per bucket.
      s3: new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined }),
    }
  }
  const local = { region: localRegion, credentials: localCredentials }
  return {
    dynamodb: new DynamoDBClient({ ...local, endpoint: engines.dynamodbEndpoint }),
    s3: new S3Client({
      ...local,
      endpoint: engines.s3Endpoint,
      forcePathStyle: true,
      // s3rver does not decode aws-chunked uploads: it would store a streamed
      // body with its chunk framing and trailing checksum as the content.
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
  }
}
