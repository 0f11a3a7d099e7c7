/**
 * Turns one message spec into TypeScript: an interface per struct, and
 * functions that give defaults, read and write it at any valid version, the way
 * Kafka's own generator does for Java (version checks inline, tagged fields in
 * a trailing section of flexible versions).
 */
import {
  type FieldSpec,
  intersect,
  isEmpty,
  type MessageSpec,
  parseVersions,
  SpecError,
  type VersionRange,
} from './spec.ts'

const PRIMITIVES: Record<string, string> = {
  bool: 'boolean',
  int8: 'number',
  int16: 'number',
  uint16: 'number',
  int32: 'number',
  uint32: 'number',
  int64: 'number',
  float64: 'number',
  uuid: 'string',
  string: 'string',
  bytes: 'Uint8Array',
  records: 'Uint8Array',
}

const FIXED_READS = new Set([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'uuid',
])
const ZERO_UUID = "'00000000-0000-0000-0000-000000000000'"

interface Struct {
  readonly name: string
  readonly typeName: string
  readonly fields: readonly FieldSpec[]
}

/** Long.MAX_VALUE is not a safe integer: spelled as 2 ** 63, which the writer clamps back. */
function numberLiteral(text: string): string {
  if (!/^(-?\d+|0x[0-9a-f]+)$/i.test(text)) return String(Number(text))
  const value = BigInt(text)
  if (value >= 2n ** 63n - 1n) return '2 ** 63'
  if (value <= -(2n ** 63n)) return '-(2 ** 63)'
  return String(value)
}

function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}

function elementType(type: string): string | undefined {
  return type.startsWith('[]') ? type.slice(2) : undefined
}

/** A boolean expression over `v` for "v is in `range`", given that v is always in `valid`. */
function versionCheck(range: VersionRange, valid: VersionRange): string {
  const within = intersect(range, valid)
  if (isEmpty(within)) return 'false'
  const checks: string[] = []
  if (within.min > valid.min) checks.push(`v >= ${within.min}`)
  if (within.max < valid.max) checks.push(`v <= ${within.max}`)
  return checks.length === 0 ? 'true' : checks.join(' && ')
}

/** A function whose body never looks at the version names its parameter `_v`, as lint asks. */
function markUnusedVersion(lines: string[], start: number): void {
  const body = lines.slice(start + 1).join('\n')
  if (!/\bv\b/.test(body))
    lines[start] = (lines[start] as string).replace(', v: number', ', _v: number')
}

class MessageEmitter {
  private readonly valid: VersionRange
  private readonly flexible: VersionRange
  private readonly structs = new Map<string, Struct>()
  private readonly common = new Map<string, FieldSpec[]>()

  constructor(private readonly spec: MessageSpec) {
    this.valid = parseVersions(spec.validVersions)
    this.flexible = parseVersions(spec.flexibleVersions)
    for (const struct of spec.commonStructs ?? []) this.common.set(struct.name, [...struct.fields])
    this.collect(spec.name, spec.fields, spec.name)
  }

  private collect(name: string, fields: readonly FieldSpec[], typeName: string): void {
    if (this.structs.has(name)) return
    this.structs.set(name, { name, typeName, fields })
    for (const field of fields) {
      const type = elementType(field.type) ?? field.type
      if (type in PRIMITIVES) continue
      const nested = field.fields ?? this.common.get(type)
      if (!nested) throw new SpecError(`${this.spec.name}.${field.name}: unknown type ${type}`)
      this.collect(
        type,
        nested,
        type.startsWith(this.spec.name) ? type : `${this.spec.name}${type}`,
      )
    }
  }

  private struct(type: string): Struct {
    const struct = this.structs.get(type)
    if (!struct) throw new SpecError(`${this.spec.name}: no struct ${type}`)
    return struct
  }

  private check(text: string | undefined): string {
    return versionCheck(parseVersions(text ?? 'none'), this.valid)
  }

  private compact(field: FieldSpec): string {
    if (field.flexibleVersions !== undefined) return this.check(field.flexibleVersions)
    return 'flexible'
  }

  private nullable(field: FieldSpec): boolean {
    return field.nullableVersions !== undefined && this.check(field.nullableVersions) !== 'false'
  }

  private tsType(field: FieldSpec): string {
    const element = elementType(field.type)
    const base =
      element !== undefined
        ? `${PRIMITIVES[element] ?? this.struct(element).typeName}[]`
        : (PRIMITIVES[field.type] ?? this.struct(field.type).typeName)
    return this.nullable(field) ? `${base} | null` : base
  }

  private defaultValue(field: FieldSpec): string {
    const given = field.default === undefined ? undefined : String(field.default)
    if (given === 'null') return 'null'
    if (elementType(field.type) !== undefined) return '[]'
    switch (field.type) {
      case 'bool':
        return given === 'true' ? 'true' : 'false'
      case 'int8':
      case 'int16':
      case 'uint16':
      case 'int32':
      case 'uint32':
      case 'int64':
      case 'float64':
        return given === undefined ? '0' : numberLiteral(given)
      case 'uuid':
        return ZERO_UUID
      case 'string':
        return `'${(given ?? '').replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
      case 'bytes':
        return 'new Uint8Array(0)'
      case 'records':
        return this.nullable(field) ? 'null' : 'new Uint8Array(0)'
      default:
        return `default${this.struct(field.type).typeName}()`
    }
  }

  /** Whether a tagged field differs from its default, and so is written. */
  private differsFromDefault(field: FieldSpec, value: string): string {
    const fallback = this.defaultValue(field)
    if (fallback === 'null') return `${value} !== null`
    if (
      elementType(field.type) !== undefined ||
      field.type === 'bytes' ||
      field.type === 'records'
    ) {
      return this.nullable(field)
        ? `${value} !== null && ${value}.length > 0`
        : `${value}.length > 0`
    }
    if (field.type in PRIMITIVES) return `${value} !== ${fallback}`
    return `!isDeepStrictEqual(${value}, ${fallback})`
  }

  private readValue(field: FieldSpec, reader: string, compact: string): string {
    const element = elementType(field.type)
    const nullableCheck = this.check(field.nullableVersions)
    const orRequired = (read: string) => {
      if (nullableCheck === 'true') return read
      const strict = `required(${read}, '${field.name}')`
      return nullableCheck === 'false' ? strict : `${nullableCheck} ? ${read} : ${strict}`
    }
    if (element !== undefined) {
      return orRequired(
        `${reader}.array(${compact}, (e) => ${this.readElement(element, field, 'e', compact)})`,
      )
    }
    if (FIXED_READS.has(field.type)) return `${reader}.${field.type}()`
    if (field.type === 'string') return orRequired(`${reader}.string(${compact})`)
    if (field.type === 'bytes' || field.type === 'records') {
      return orRequired(`${reader}.bytesField(${compact})`)
    }
    const read = `read${this.struct(field.type).typeName}(${reader}, v)`
    if (nullableCheck === 'false') return read
    return `${nullableCheck === 'true' ? '' : `!(${nullableCheck}) || `}${reader}.structPresent() ? ${read} : null`
  }

  private readElement(type: string, field: FieldSpec, reader: string, compact: string): string {
    if (FIXED_READS.has(type)) return `${reader}.${type}()`
    if (type === 'string') return `required(${reader}.string(${compact}), '${field.name}[]')`
    if (type === 'bytes' || type === 'records') {
      return `required(${reader}.bytesField(${compact}), '${field.name}[]')`
    }
    return `read${this.struct(type).typeName}(${reader}, v)`
  }

  private writeValue(field: FieldSpec, writer: string, value: string, compact: string): string {
    const element = elementType(field.type)
    const nullable = this.check(field.nullableVersions)
    if (element !== undefined) {
      return `${writer}.array(${compact}, ${value}, ${nullable}, '${field.name}', (e, item) => ${this.writeElement(element, field, 'e', 'item', compact)})`
    }
    if (FIXED_READS.has(field.type)) return `${writer}.${field.type}(${value})`
    if (field.type === 'string')
      return `${writer}.string(${compact}, ${value}, ${nullable}, '${field.name}')`
    if (field.type === 'bytes' || field.type === 'records') {
      return `${writer}.bytes(${compact}, ${value}, ${nullable}, '${field.name}')`
    }
    const write = `write${this.struct(field.type).typeName}(${writer}, v, ${value})`
    if (nullable === 'false') return write
    if (nullable !== 'true') {
      throw new SpecError(
        `${this.spec.name}.${field.name}: a struct nullable in some versions only`,
      )
    }
    return `${writer}.nullableStruct(${value}, (s, item) => write${this.struct(field.type).typeName}(s, v, item))`
  }

  private writeElement(
    type: string,
    field: FieldSpec,
    writer: string,
    item: string,
    compact: string,
  ): string {
    if (FIXED_READS.has(type)) return `${writer}.${type}(${item})`
    if (type === 'string') return `${writer}.string(${compact}, ${item}, false, '${field.name}[]')`
    if (type === 'bytes' || type === 'records')
      return `${writer}.bytes(${compact}, ${item}, false, '${field.name}[]')`
    return `write${this.struct(type).typeName}(${writer}, v, ${item})`
  }

  private flexibleLine(): string {
    return `const flexible = ${versionCheck(this.flexible, this.valid)}`
  }

  private emitStruct(struct: Struct): string {
    const { typeName, fields } = struct
    const untagged = fields.filter(
      (field) => field.taggedVersions === undefined || this.check(field.taggedVersions) !== 'true',
    )
    const tagged = fields.filter((field) => field.taggedVersions !== undefined)
    const hasFlexible = versionCheck(this.flexible, this.valid) !== 'false'
    const lines: string[] = []

    lines.push(`export interface ${typeName} {`)
    for (const field of fields) {
      if (field.about) lines.push(`  /** ${field.about.replaceAll('*/', '* /')} */`)
      lines.push(`  ${camel(field.name)}: ${this.tsType(field)}`)
    }
    lines.push('}', '')

    lines.push(`export function default${typeName}(): ${typeName} {`)
    lines.push('  return {')
    for (const field of fields) lines.push(`    ${camel(field.name)}: ${this.defaultValue(field)},`)
    lines.push('  }', '}', '')

    const readStart = lines.length
    lines.push(`export function read${typeName}(r: ProtocolReader, v: number): ${typeName} {`)
    if (hasFlexible) lines.push(`  ${this.flexibleLine()}`)
    const compactOf = (field: FieldSpec) => (hasFlexible ? this.compact(field) : 'false')
    lines.push(`  const m = default${typeName}()`)
    for (const field of untagged) {
      const present = this.regularCheck(field)
      if (present === 'false') continue
      const assign = `m.${camel(field.name)} = ${this.readValue(field, 'r', compactOf(field))}`
      lines.push(present === 'true' ? `  ${assign}` : `  if (${present}) ${assign}`)
    }
    if (hasFlexible) lines.push(...this.readTagged(tagged))
    lines.push('  return m', '}', '')
    markUnusedVersion(lines, readStart)

    const writeStart = lines.length

    lines.push(
      `export function write${typeName}(w: ProtocolWriter, v: number, m: ${typeName}): void {`,
    )
    if (hasFlexible) lines.push(`  ${this.flexibleLine()}`)
    for (const field of untagged) {
      const present = this.regularCheck(field)
      if (present === 'false') continue
      const write = this.writeValue(field, 'w', `m.${camel(field.name)}`, compactOf(field))
      lines.push(present === 'true' ? `  ${write}` : `  if (${present}) ${write}`)
    }
    if (hasFlexible) {
      const entries = tagged.map((field) => {
        const check = this.check(field.taggedVersions)
        const value = `m.${camel(field.name)}`
        const condition = [check, this.differsFromDefault(field, value)].filter((c) => c !== 'true')
        return `(${condition.join(' && ') || 'true'}) && ([${field.tag}, (t: ProtocolWriter) => ${this.writeValue(field, 't', value, 'true')}] as const)`
      })
      lines.push(`  if (flexible) w.taggedFields([${entries.join(', ')}])`)
    }
    lines.push('}', '')
    markUnusedVersion(lines, writeStart)
    return lines.join('\n')
  }

  /** Where a field sits in the fixed part: in its versions, but not where it is tagged. */
  private regularCheck(field: FieldSpec): string {
    const versions = intersect(parseVersions(field.versions), this.valid)
    if (field.taggedVersions === undefined) return versionCheck(versions, this.valid)
    const tagged = parseVersions(field.taggedVersions)
    // Tagged fields are tagged from some version on; below it they may be regular.
    const below: VersionRange = { min: versions.min, max: Math.min(versions.max, tagged.min - 1) }
    return versionCheck(below, this.valid)
  }

  private readTagged(tagged: readonly FieldSpec[]): string[] {
    if (tagged.length === 0) return ['  if (flexible) r.taggedFields(() => false)']
    const byTag = new Map<number, FieldSpec[]>()
    for (const field of tagged) {
      if (field.tag === undefined) throw new SpecError(`${this.spec.name}.${field.name} has no tag`)
      byTag.set(field.tag, [...(byTag.get(field.tag) ?? []), field])
    }
    const lines = ['  if (flexible) {', '    r.taggedFields((tag, t) => {', '      switch (tag) {']
    for (const [tag, fields] of [...byTag].sort(([a], [b]) => a - b)) {
      lines.push(`        case ${tag}:`)
      for (const field of fields) {
        const check = this.check(field.taggedVersions)
        const assign = `{ m.${camel(field.name)} = ${this.readValue(field, 't', 'true')}; return true }`
        lines.push(check === 'true' ? `          ${assign}` : `          if (${check}) ${assign}`)
      }
      if (fields.every((field) => this.check(field.taggedVersions) !== 'true'))
        lines.push('          return false')
    }
    lines.push('        default:', '          return false', '      }', '    })', '  }')
    return lines
  }

  emit(source: string): string {
    const { spec } = this
    const body = [...this.structs.values()].reverse().map((struct) => this.emitStruct(struct))
    const valid = this.valid
    const flexibleFrom = isEmpty(this.flexible) ? 'null' : String(this.flexible.min)
    const usesRequired = body.some((text) => text.includes('required('))
    const usesDeepEqual = body.some((text) => text.includes('isDeepStrictEqual('))
    return [
      `// Generated by \`npm run kafka:generate\` from ${source}. Do not edit.`,
      '',
      ...(usesDeepEqual ? [`import { isDeepStrictEqual } from 'node:util'`] : []),
      `import type { MessageCodec } from '../codec.ts'`,
      usesRequired
        ? `import { type ProtocolReader, required } from '../reader.ts'`
        : `import type { ProtocolReader } from '../reader.ts'`,
      `import type { ProtocolWriter } from '../writer.ts'`,
      '',
      ...body,
      `export const ${camel(spec.name)}: MessageCodec<${spec.name}> = {`,
      `  name: '${spec.name}',`,
      `  apiKey: ${spec.apiKey ?? -1},`,
      `  minVersion: ${valid.min},`,
      `  maxVersion: ${valid.max},`,
      `  flexibleFrom: ${flexibleFrom},`,
      `  defaults: default${spec.name},`,
      `  read: read${spec.name},`,
      `  write: write${spec.name},`,
      '}',
      '',
    ].join('\n')
  }
}

export function emitMessage(spec: MessageSpec, source: string): string {
  return new MessageEmitter(spec).emit(source)
}
