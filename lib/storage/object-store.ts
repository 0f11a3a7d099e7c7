import {
  DeleteObjectsCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3'

/** An object as a listing describes it. */
export interface ListedObject {
  readonly key: string
  readonly size: number
  /** When S3 finished writing it, in ms since the epoch (S3's clock). */
  readonly lastModified: number
}

/** The object is not in the bucket (any more). */
export class ObjectNotFoundError extends Error {
  override name = 'ObjectNotFoundError'
  constructor(readonly key: string) {
    super(`Object ${key} does not exist`)
  }
}

/** S3 deletes at most this many keys per DeleteObjects request. */
const DELETE_BATCH = 1000

/** Immutable objects in the data bucket: written once under a fresh key, read by byte range. */
export class ObjectStore {
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
        throw error instanceof NoSuchKey ? new ObjectNotFoundError(key) : error
      })
    if (!response.Body) throw new Error(`Object ${key} has no body`)
    const bytes = await response.Body.transformToByteArray()
    if (bytes.byteLength !== length) {
      throw new Error(
        `Object ${key} returned ${bytes.byteLength} bytes for a ${length}-byte range at ${offset}`,
      )
    }
    return bytes
  }

  /** Every object whose key starts with `prefix`, one listing page at a time. */
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
