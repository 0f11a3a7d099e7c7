import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'

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
    const response = await this.s3.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Range: `bytes=${offset}-${offset + length - 1}`,
      }),
    )
    if (!response.Body) throw new Error(`Object ${key} has no body`)
    const bytes = await response.Body.transformToByteArray()
    if (bytes.byteLength !== length) {
      throw new Error(
        `Object ${key} returned ${bytes.byteLength} bytes for a ${length}-byte range at ${offset}`,
      )
    }
    return bytes
  }
}
