import { DeleteTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb'
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  NoSuchBucket,
} from '@aws-sdk/client-s3'
import type { AwsClients } from '../storage/aws/clients.ts'
import type { StorageNames } from '../storage/tables.ts'

/**
 * Deletes the tables and the bucket (objects first) a run created on external
 * engines, which unlike the local ones do not vanish when the run exits.
 */
export async function removeStorage(clients: AwsClients, names: StorageNames): Promise<void> {
  await Promise.all([
    ...Object.values(names.tables).map((table) =>
      clients.dynamodb.send(new DeleteTableCommand({ TableName: table })).catch((error) => {
        if (!(error instanceof ResourceNotFoundException)) throw error
      }),
    ),
    emptyAndDeleteBucket(clients, names.bucket),
  ])
}

async function emptyAndDeleteBucket(clients: AwsClients, bucket: string): Promise<void> {
  try {
    for (;;) {
      // Each listing starts over: the previous page's objects are gone by then.
      const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket }))
      const objects = (page.Contents ?? []).flatMap(({ Key }) => (Key ? [{ Key }] : []))
      if (objects.length === 0) break
      await clients.s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
      )
    }
    await clients.s3.send(new DeleteBucketCommand({ Bucket: bucket }))
  } catch (error) {
    if (!(error instanceof NoSuchBucket)) throw error
  }
}
