import {
  DeleteObjectsCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3'
import {
  type ListedObject,
  ObjectNotFoundError,
  ObjectRangeError,
  type ObjectStore,
} from '../ports/objects.ts'

/** S3 deletes at most this many keys per DeleteObjects request. */
const DELETE_BATCH = 1000

/** The data bucket in S3. */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Uint8Array): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentLength: body.byteLength,
        ContentType: 'application/octet-stream',
      }),
    )
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    const response = await this.s3
      .send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: `bytes=${offset}-${offset + length - 1}`,
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof NoSuchKey) throw new ObjectNotFoundError(key)
        // S3 answers 416 to a range that starts past the end, and cuts short one that runs past it.
        if (error instanceof S3ServiceException && error.name === 'InvalidRange') {
          throw new ObjectRangeError(key, offset, length)
        }
        throw error
      })
    if (!response.Body) throw new Error(`Object ${key} has no body`)
    const bytes = await response.Body.transformToByteArray()
    if (bytes.byteLength !== length) throw new ObjectRangeError(key, offset, length)
    return bytes
  }

  /** Every object whose key starts with `prefix`, one listing page at a time (S3 lists in key order). */
  async *list(prefix: string): AsyncGenerator<ListedObject> {
    const pages = paginateListObjectsV2(
      { client: this.s3 },
      { Bucket: this.bucket, Prefix: prefix },
    )
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue
        yield {
          key: object.Key,
          size: object.Size ?? 0,
          lastModified: object.LastModified?.getTime() ?? 0,
        }
      }
    }
  }

  /** Deletes the objects; a key that is already gone is not an error, as in S3 itself. */
  async delete(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH)
      const { Errors } = await this.s3.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((key) => ({ Key: key })), Quiet: true },
        }),
      )
      const [first] = Errors ?? []
      if (first) {
        throw new Error(
          `Could not delete ${Errors?.length} of ${batch.length} objects, e.g. ${first.Key}: ${first.Code}`,
        )
      }
    }
  }
}
