import { AWS_PRICES, s3PriceClass } from './prices.ts'
import type { OperationCount } from './request-counter.ts'

export const GIB = 1024 ** 3

export interface Dollars {
  readonly s3: number
  readonly dynamodb: number
  readonly total: number
}

/** What a run of counted calls costs, scaled to one GiB of record bytes moved. */
export interface CostPerGiB {
  /** HTTP requests per GiB by `Service Operation`, e.g. `S3 PutObject`. */
  readonly requestsPerGiB: Readonly<Record<string, number>>
  readonly s3PutClassRequestsPerGiB: number
  readonly s3GetClassRequestsPerGiB: number
  readonly dynamodbWriteUnitsPerGiB: number
  readonly dynamodbReadUnitsPerGiB: number
  readonly dollarsPerGiB: Dollars
}

/** What a run of counted calls costs per request it served (a produce request, a read page). */
export interface CostPerRequest {
  /** HTTP requests, SDK retries included, per request served. */
  readonly s3Requests: number
  readonly dynamodbRequests: number
  readonly dynamodbWriteUnits: number
  readonly dynamodbReadUnits: number
  /** Dollars per million requests served. */
  readonly dollarsPerMillion: Dollars
}

/** The billed totals of some counted calls. */
interface Bill {
  readonly s3PutClass: number
  readonly s3GetClass: number
  readonly s3Requests: number
  readonly dynamodbRequests: number
  readonly writeUnits: number
  readonly readUnits: number
  readonly dollars: Dollars
}

function bill(counts: readonly OperationCount[]): Bill {
  let s3PutClass = 0
  let s3GetClass = 0
  let s3Requests = 0
  let dynamodbRequests = 0
  let writeUnits = 0
  let readUnits = 0
  for (const count of counts) {
    if (count.service === 'S3') {
      s3Requests += count.requests
      const priceClass = s3PriceClass(count.operation)
      if (priceClass === 'put') s3PutClass += count.requests
      if (priceClass === 'get') s3GetClass += count.requests
    } else {
      dynamodbRequests += count.requests
      writeUnits += count.writeUnits
      readUnits += count.readUnits
    }
  }
  const s3 = s3PutClass * AWS_PRICES.s3.putClassRequest + s3GetClass * AWS_PRICES.s3.getClassRequest
  const dynamodb =
    writeUnits * AWS_PRICES.dynamodb.writeUnit + readUnits * AWS_PRICES.dynamodb.readUnit
  return {
    s3PutClass,
    s3GetClass,
    s3Requests,
    dynamodbRequests,
    writeUnits,
    readUnits,
    dollars: { s3, dynamodb, total: s3 + dynamodb },
  }
}

function scaled(dollars: Dollars, scale: number): Dollars {
  return {
    s3: dollars.s3 * scale,
    dynamodb: dollars.dynamodb * scale,
    total: dollars.total * scale,
  }
}

export function costPerGiB(counts: readonly OperationCount[], bytes: number): CostPerGiB {
  const scale = bytes > 0 ? GIB / bytes : Number.NaN
  const requestsPerGiB: Record<string, number> = {}
  for (const count of counts) {
    requestsPerGiB[`${count.service} ${count.operation}`] = count.requests * scale
  }
  const total = bill(counts)
  return {
    requestsPerGiB,
    s3PutClassRequestsPerGiB: total.s3PutClass * scale,
    s3GetClassRequestsPerGiB: total.s3GetClass * scale,
    dynamodbWriteUnitsPerGiB: total.writeUnits * scale,
    dynamodbReadUnitsPerGiB: total.readUnits * scale,
    dollarsPerGiB: scaled(total.dollars, scale),
  }
}

export function costPerRequest(
  counts: readonly OperationCount[],
  requests: number,
): CostPerRequest {
  const scale = requests > 0 ? 1 / requests : Number.NaN
  const total = bill(counts)
  return {
    s3Requests: total.s3Requests * scale,
    dynamodbRequests: total.dynamodbRequests * scale,
    dynamodbWriteUnits: total.writeUnits * scale,
    dynamodbReadUnits: total.readUnits * scale,
    dollarsPerMillion: scaled(total.dollars, scale * 1_000_000),
  }
}
