/**
 * AWS list prices (us-east-1) as given in /work/shared/REFERENCE.md §10, "AWS
 * limits and prices that shape the design". Change them there first, then here.
 */
export const AWS_PRICES = {
  s3: {
    /** PUT, COPY, POST and LIST requests, per request ($0.005 per 1,000). */
    putClassRequest: 0.005 / 1000,
    /** GET and all other requests, per request ($0.0004 per 1,000). */
    getClassRequest: 0.0004 / 1000,
  },
  dynamodb: {
    /** On-demand: $0.625 per million write request units. */
    writeUnit: 0.625 / 1_000_000,
    /** On-demand: $0.125 per million read request units. */
    readUnit: 0.125 / 1_000_000,
    /** Transactional reads and writes use twice the units of plain ones. */
    transactionalMultiplier: 2,
    /** A write unit covers up to 1 KB of item. */
    writeUnitBytes: 1024,
    /** A strongly consistent read unit covers up to 4 KB; an eventually consistent read costs half. */
    readUnitBytes: 4096,
  },
} as const

/** S3 bills requests in two classes; deletes are free. */
export type S3PriceClass = 'put' | 'get' | 'free'

const S3_PUT_CLASS = new Set([
  'PutObject',
  'CopyObject',
  'PostObject',
  'ListObjects',
  'ListObjectsV2',
  'ListObjectVersions',
  'ListBuckets',
  'ListMultipartUploads',
  'ListParts',
  'CreateBucket',
  'CreateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
])

const S3_FREE = new Set(['DeleteObject', 'DeleteObjects', 'DeleteBucket', 'AbortMultipartUpload'])

/** The price class of an S3 operation, by its API name (`PutObject`, not `PutObjectCommand`). */
export function s3PriceClass(operation: string): S3PriceClass {
  if (S3_PUT_CLASS.has(operation)) return 'put'
  if (S3_FREE.has(operation)) return 'free'
  return 'get'
}
