/**
 * Apache Kafka's message specs (`common/message/*.json` in kafka-clients):
 * JSON with comments, one file per request, response or header.
 */
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser'

export interface FieldSpec {
  readonly name: string
  readonly type: string
  readonly versions: string
  readonly nullableVersions?: string
  readonly taggedVersions?: string
  readonly tag?: number
  readonly default?: string | number | boolean
  /** Overrides the message's flexible versions; "none" keeps a classic encoding (the header's ClientId). */
  readonly flexibleVersions?: string
  readonly fields?: readonly FieldSpec[]
  readonly about?: string
}

export interface StructSpec {
  readonly name: string
  readonly versions: string
  readonly fields: readonly FieldSpec[]
}

export interface MessageSpec {
  readonly apiKey?: number
  readonly type:
    | 'request'
    | 'response'
    | 'header'
    | 'data'
    | 'metadata'
    | 'coordinator-key'
    | 'coordinator-value'
  readonly name: string
  readonly validVersions: string
  readonly flexibleVersions: string
  readonly fields: readonly FieldSpec[]
  readonly commonStructs?: readonly StructSpec[]
}

export class SpecError extends Error {
  override name = 'SpecError'
}

/** An inclusive range of versions; `max` is Infinity for "N+". */
export interface VersionRange {
  readonly min: number
  readonly max: number
}

export const NO_VERSIONS: VersionRange = { min: 1, max: 0 }

export function parseVersions(text: string): VersionRange {
  if (text === 'none') return NO_VERSIONS
  const open = /^(\d+)\+$/.exec(text)
  if (open) return { min: Number(open[1]), max: Number.POSITIVE_INFINITY }
  const closed = /^(\d+)-(\d+)$/.exec(text)
  if (closed) return { min: Number(closed[1]), max: Number(closed[2]) }
  if (/^\d+$/.test(text)) return { min: Number(text), max: Number(text) }
  throw new SpecError(`unreadable version range '${text}'`)
}

export function isEmpty(range: VersionRange): boolean {
  return range.min > range.max
}

/** The versions in both ranges. */
export function intersect(a: VersionRange, b: VersionRange): VersionRange {
  return { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) }
}

export function parseMessageSpec(file: string, text: string): MessageSpec {
  const errors: ParseError[] = []
  const spec = parse(text, errors, { allowTrailingComma: true }) as MessageSpec
  const [first] = errors
  if (first) {
    throw new SpecError(`${file}: ${printParseErrorCode(first.error)} at offset ${first.offset}`)
  }
  if (typeof spec?.name !== 'string' || !Array.isArray(spec.fields)) {
    throw new SpecError(`${file} is not a message spec`)
  }
  return spec
}
