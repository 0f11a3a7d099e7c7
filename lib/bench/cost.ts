import { AWS_PRICES, s3PriceClass } from './prices.ts'
import type { OperationCount } from './request-counter.ts'

export const GIB = 1024 ** 3

/** What a run of counted calls costs, scaled to one GiB of record bytes moved. */
export interface CostPerGiB {
  /** HTTP requests per GiB by `Service Operation`, e.g. `S3 PutObject`. */
  readonly requestsPerGiB: Readonly<Record<string, number>>
  readonly s3PutClassRequestsPerGiB: number
  readonly s3GetClassRequestsPerGiB: number
  readonly dynamodbWriteUnitsPerGiB: number
  readonly dynamodbReadUnitsPerGiB: number
  readonly dollarsPerGiB: {
    readonly s3: number
    readonly dynamodb: number
    readonly total: number
  }
}

export function costPerGiB(counts: readonly OperationCount[], bytes: number): CostPerGiB {
  const scale = bytes > 0 ? GIB / bytes : Number.NaN
  const requestsPerGiB: Record<string, number> = {}
  let s3Put = 0
  let s3Get = 0
  let writeUnits = 0
  let readUnits = 0
  for (const count of counts) {
    requestsPerGiB[`${count.service} ${count.operation}`] = count.requests * scale
    if (count.service === 'S3') {
      const priceClass = s3PriceClass(count.operation)
      if (priceClass === 'put') s3Put += count.requests
      if (priceClass === 'get') s3Get += count.requests
    } else {
      writeUnits += count.writeUnits
      readUnits += count.readUnits
    }
  }
  const s3Dollars = s3Put * AWS_PRICES.s3.putClassRequest + s3Get * AWS_PRICES.s3.getClassRequest
  const dynamodbDollars =
    writeUnits * AWS_PRICES.dynamodb.writeUnit + readUnits * AWS_PRICES.dynamodb.readUnit
  return {
    requestsPerGiB,
    s3PutClassRequestsPerGiB: s3Put * scale,
    s3GetClassRequestsPerGiB: s3Get * scale,
    dynamodbWriteUnitsPerGiB: writeUnits * scale,
    dynamodbReadUnitsPerGiB: readUnits * scale,
    dollarsPerGiB: {
      s3: s3Dollars * scale,
      dynamodb: dynamodbDollars * scale,
      total: (s3Dollars + dynamodbDollars) * scale,
    },
  }
}
