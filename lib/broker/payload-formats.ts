/**
 * Kafka stores keys and values as bytes; the REST API also remembers what a
 * producer said they were, so a reader gets JSON back as JSON and strings as
 * strings. The formats of a range's records are kept beside its index entry as
 * runs, because consecutive records almost always share them: `"250:JS,3:BB"`
 * is 250 records with a JSON key and a STRING value, then 3 binary ones.
 */

/** Formats whose bytes stand on their own. */
export const SCHEMALESS_FORMATS = ['BINARY', 'JSON', 'STRING'] as const
export type SchemalessFormat = (typeof SCHEMALESS_FORMATS)[number]

/** Formats written in Confluent's wire format: framed with the id of a registry schema. */
export const SCHEMA_FORMATS = ['AVRO'] as const
export type SchemaFormat = (typeof SCHEMA_FORMATS)[number]

export const PAYLOAD_FORMATS = [...SCHEMALESS_FORMATS, ...SCHEMA_FORMATS] as const
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number]

export interface RecordFormats {
  readonly key: PayloadFormat
  readonly value: PayloadFormat
}

const CODES: Record<PayloadFormat, string> = { BINARY: 'B', JSON: 'J', STRING: 'S', AVRO: 'A' }
const BY_CODE = new Map(
  Object.entries(CODES).map(([format, code]) => [code, format as PayloadFormat]),
)

/**
 * The longest format runs a segment written by maintenance may carry. They
 * live on its index item, and DynamoDB refuses items over 400 KB: records
 * whose formats alternate make a run each, so merging enough of them
 * would build an item no write can store.
 */
export const MAX_FORMAT_RUNS_LENGTH = 256 * 1024

/**
 * At most what a range's runs add to the runs of a segment it joins (with the
 * separating comma). Joining runs or dropping records never lengthens them.
 */
export function formatRunsLengthBound(encoded: string, recordCount: number): number {
  return (encoded === '' ? `${recordCount}:BB`.length : encoded.length) + 1
}

export class InvalidFormatRunsError extends Error {
  override name = 'InvalidFormatRunsError'
}

export function encodeFormatRuns(formats: readonly RecordFormats[]): string {
  const runs: { count: number; code: string }[] = []
  for (const { key, value } of formats) {
    const code = CODES[key] + CODES[value]
    const last = runs.at(-1)
    if (last?.code === code) last.count++
    else runs.push({ count: 1, code })
  }
  return runs.map(({ count, code }) => `${count}:${code}`).join(',')
}

/** Expands runs back to one entry per record; an empty string means all binary (bytes from elsewhere). */
export function decodeFormatRuns(encoded: string, recordCount: number): RecordFormats[] {
  const binary: RecordFormats = { key: 'BINARY', value: 'BINARY' }
  if (encoded === '') return Array.from({ length: recordCount }, () => binary)
  const formats: RecordFormats[] = []
  for (const run of encoded.split(',')) {
    const match = /^(\d+):([A-Z])([A-Z])$/.exec(run)
    const key = match?.[2] && BY_CODE.get(match[2])
    const value = match?.[3] && BY_CODE.get(match[3])
    if (!match || !key || !value) throw new InvalidFormatRunsError(`Malformed format run '${run}'`)
    const entry: RecordFormats = { key, value }
    for (let i = 0; i < Number(match[1]); i++) formats.push(entry)
  }
  if (formats.length !== recordCount) {
    throw new InvalidFormatRunsError(
      `Format runs describe ${formats.length} records, the range holds ${recordCount}`,
    )
  }
  return formats
}
