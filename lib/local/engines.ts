import { join } from 'node:path'
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts'
import { startDynamoDBLocal } from './dynamodb-local.ts'
import { publishEndpoints } from './endpoints-file.ts'
import { startS3Local } from './s3-local.ts'

export interface LocalEngines {
  readonly dynamodbEndpoint: string
  readonly s3Endpoint: string
  stop(): Promise<void>
}

export interface LocalEnginesOptions {
  /** Holds the S3 objects, and the DynamoDB database unless `inMemory`. */
  readonly dataDir: string
  /** Keep DynamoDB data in memory only, gone when the engines stop. */
  readonly inMemory?: boolean
  /** Where DynamoDB Local is unpacked; defaults to `.sluice/engines` in the project. */
  readonly engineCacheDir?: string
}

/**
 * Starts DynamoDB Local and s3rver side by side. Data kept on disk is locked
 * to this process while the engines run, and a DynamoDB Local that a killed
 * process left running on it is stopped first; the data dir's endpoints file
 * says where they listen.
 */
export async function startLocalEngines(options: LocalEnginesOptions): Promise<LocalEngines> {
  const lock: DataDirLock | undefined = options.inMemory
    ? undefined
    : await lockDataDir(options.dataDir)
  const [dynamodb, s3] = await Promise.allSettled([
    startDynamoDBLocal({
      ...(!options.inMemory && {
        dbPath: join(options.dataDir, 'dynamodb'),
        pidFile: join(options.dataDir, 'dynamodb-local.pid'),
      }),
      ...(options.engineCacheDir !== undefined && { cacheDir: options.engineCacheDir }),
    }),
    startS3Local({ directory: join(options.dataDir, 's3') }),
  ])
  if (dynamodb.status === 'fulfilled' && s3.status === 'fulfilled') {
    const endpoints = { dynamodbEndpoint: dynamodb.value.endpoint, s3Endpoint: s3.value.endpoint }
    const published = lock && (await publishEndpoints(options.dataDir, endpoints))
    return {
      ...endpoints,
      async stop() {
        await published?.withdraw()
        await Promise.all([dynamodb.value.stop(), s3.value.stop()])
        await lock?.release()
      },
    }
  }
  const results = [dynamodb, s3]
  await Promise.all(results.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)))
  await lock?.release()
  throw results.find((r) => r.status === 'rejected')?.reason
}
