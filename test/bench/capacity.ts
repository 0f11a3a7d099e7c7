import { AWS_PRICES } from './prices.ts'

/**
 * DynamoDB capacity units of one call, worked out from its request and response
 * the way on-demand billing counts them. Values are in the document client's
 * plain form (strings, numbers, Uint8Array, arrays, objects), which is what a
 * middleware at the initialize step of a DynamoDBDocumentClient call sees.
 */
export interface CapacityUnits {
  readonly writeUnits: number
  readonly readUnits: number
}

const NONE: CapacityUnits = { writeUnits: 0, readUnits: 0 }

type Plain = Record<string, unknown>

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8')

/** DynamoDB's size of one attribute value: see "Item sizes and formats" in its developer guide. */
export function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1
  if (typeof value === 'string') return utf8Length(value)
  if (typeof value === 'number' || typeof value === 'bigint') {
    // About one byte per two significant digits, plus one.
    const digits = String(value).replace(/^-/, '').replace('.', '').replace(/^0+/, '')
    return Math.ceil(Math.max(1, digits.length) / 2) + 1
  }
  if (value instanceof Uint8Array) return value.byteLength
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + valueSize(v), 0)
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueSize(v), 0)
  if (typeof value === 'object') return 3 + itemSize(value as Plain) + Object.keys(value).length
  return 0
}

/** Attribute names count as well as values. */
export function itemSize(item: Plain | undefined): number {
  if (!item) return 0
  let size = 0
  for (const [name, value] of Object.entries(item)) size += utf8Length(name) + valueSize(value)
  return size
}

const writeUnitsFor = (bytes: number) =>
  Math.max(1, Math.ceil(bytes / AWS_PRICES.dynamodb.writeUnitBytes))

const readUnitsFor = (bytes: number, consistent: boolean) =>
  Math.max(1, Math.ceil(bytes / AWS_PRICES.dynamodb.readUnitBytes)) * (consistent ? 1 : 0.5)

/**
 * An update or condition check is billed on the item it touches, which the
 * request does not show; its key and new values are the best lower bound here.
 * Sluice's partition heads and topic items are far below 1 KB, so the unit count
 * comes out the same.
 */
function touchedSize(request: Plain): number {
  return itemSize(request.Key as Plain) + itemSize(request.ExpressionAttributeValues as Plain)
}

function transactWriteUnits(input: Plain): number {
  const items = (input.TransactItems ?? []) as Plain[]
  let units = 0
  for (const item of items) {
    const put = item.Put as Plain | undefined
    const other = (item.Update ?? item.Delete ?? item.ConditionCheck) as Plain | undefined
    // Condition checks are billed as writes here, the conservative reading of the price list.
    units += writeUnitsFor(put ? itemSize(put.Item as Plain) : other ? touchedSize(other) : 0)
  }
  return units * AWS_PRICES.dynamodb.transactionalMultiplier
}

function batchWriteUnits(input: Plain): number {
  let units = 0
  for (const requests of Object.values((input.RequestItems ?? {}) as Record<string, Plain[]>)) {
    for (const request of requests) {
      const put = request.PutRequest as Plain | undefined
      const del = request.DeleteRequest as Plain | undefined
      units += writeUnitsFor(put ? itemSize(put.Item as Plain) : itemSize(del?.Key as Plain))
    }
  }
  return units
}

function batchGetReadUnits(input: Plain, output: Plain | undefined): number {
  const requested = (input.RequestItems ?? {}) as Record<string, Plain>
  const responses = (output?.Responses ?? {}) as Record<string, Plain[]>
  const unprocessed = (output?.UnprocessedKeys ?? {}) as Record<string, Plain>
  let units = 0
  for (const [table, request] of Object.entries(requested)) {
    const consistent = request.ConsistentRead === true
    const returned = responses[table] ?? []
    const skipped = ((unprocessed[table]?.Keys as unknown[]) ?? []).length
    const missing = ((request.Keys as unknown[]) ?? []).length - returned.length - skipped
    for (const item of returned) units += readUnitsFor(itemSize(item), consistent)
    // A key with no item still costs the minimum read.
    units += Math.max(0, missing) * readUnitsFor(0, consistent)
  }
  return units
}

/** Units one call consumed; `output` is undefined when the call failed. */
export function capacityUnits(
  operation: string,
  input: Plain,
  output: Plain | undefined,
): CapacityUnits {
  const consistent = input.ConsistentRead === true
  switch (operation) {
    case 'PutItem':
      return { writeUnits: writeUnitsFor(itemSize(input.Item as Plain)), readUnits: 0 }
    case 'UpdateItem':
    case 'DeleteItem':
      return { writeUnits: writeUnitsFor(touchedSize(input)), readUnits: 0 }
    case 'BatchWriteItem':
      return { writeUnits: batchWriteUnits(input), readUnits: 0 }
    case 'TransactWriteItems':
      // A cancelled transaction is counted like a committed one: an upper bound on its cost.
      return { writeUnits: transactWriteUnits(input), readUnits: 0 }
    case 'GetItem':
      if (!output) return NONE
      return { writeUnits: 0, readUnits: readUnitsFor(itemSize(output.Item as Plain), consistent) }
    case 'BatchGetItem':
      return { writeUnits: 0, readUnits: batchGetReadUnits(input, output) }
    case 'Query':
    case 'Scan': {
      if (!output) return NONE
      const items = (output.Items ?? []) as Plain[]
      const bytes = items.reduce((sum, item) => sum + itemSize(item), 0)
      return { writeUnits: 0, readUnits: readUnitsFor(bytes, consistent) }
    }
    default:
      return NONE
  }
}
