import type { Type } from 'avsc'
import avro from 'avsc'

const { types } = avro

/**
 * A JSON value that does not fit its Avro schema: where (a path into the
 * value, e.g. `address.zip` or `tags[2]`) and what is wrong there.
 */
export class AvroDataError extends Error {
  override name = 'AvroDataError'
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path === '' ? problem : `field '${path}' ${problem}`)
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function describe(type: Type): string {
  return type.name ? `${type.typeName} ${type.name}` : type.typeName
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Avro's JSON encoding writes bytes and fixed as strings of code points 0-255. */
function latin1Bytes(text: string, path: string): Buffer {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0xff) {
      throw new AvroDataError(
        path,
        `holds character ${show(text[i])}, but bytes are written as code points 0 to 255`,
      )
    }
  }
  return Buffer.from(text, 'latin1')
}

function member(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`
}

/**
 * Turns a value in Avro's JSON encoding (what the Confluent REST Proxy takes:
 * unions as `{"branch": value}`, bytes as strings) into the value avsc
 * encodes. Fields missing from a record take their defaults; fields the schema
 * does not declare are refused rather than silently dropped.
 */
export function avroValueFromJson(type: Type, json: unknown, path = ''): unknown {
  if (type instanceof types.RecordType) {
    if (!isObject(json)) {
      throw new AvroDataError(path, `must be a ${describe(type)} object; got ${show(json)}`)
    }
    const undeclared = Object.keys(json).find((key) => !type.fields.some((f) => f.name === key))
    if (undeclared !== undefined) {
      throw new AvroDataError(member(path, undeclared), `is not a field of ${describe(type)}`)
    }
    const record: Record<string, unknown> = {}
    for (const field of type.fields) {
      const value = json[field.name]
      const fieldPath = member(path, field.name)
      if (value === undefined) {
        const fallback = field.defaultValue()
        if (fallback === undefined) {
          throw new AvroDataError(fieldPath, 'is missing, and the schema gives it no default')
        }
        record[field.name] = fallback
      } else {
        record[field.name] = avroValueFromJson(field.type, value, fieldPath)
      }
    }
    return record
  }
  if (type instanceof types.WrappedUnionType) {
    const names = type.types.map((branch) => branch.branchName)
    if (json === null && names.includes('null')) return null
    const keys = isObject(json) ? Object.keys(json) : []
    const branch = keys.length === 1 ? type.types.find((t) => t.branchName === keys[0]) : undefined
    if (!branch || branch.branchName === 'null' || !isObject(json)) {
      throw new AvroDataError(
        path,
        `must be ${names.includes('null') ? 'null or ' : ''}an object naming one branch of union [${names.join(', ')}], e.g. {"${names.find((n) => n !== 'null')}": ...}; got ${show(json)}`,
      )
    }
    const name = branch.branchName as string
    return { [name]: avroValueFromJson(branch, json[name], member(path, name)) }
  }
  if (type instanceof types.ArrayType) {
    if (!Array.isArray(json)) throw new AvroDataError(path, `must be an array; got ${show(json)}`)
    return json.map((item, i) => avroValueFromJson(type.itemsType, item, `${path}[${i}]`))
  }
  if (type instanceof types.MapType) {
    if (!isObject(json)) throw new AvroDataError(path, `must be a map object; got ${show(json)}`)
    const values = type.valuesType as Type
    return Object.fromEntries(
      Object.entries(json).map(([key, value]) => [
        key,
        avroValueFromJson(values, value, `${path}[${JSON.stringify(key)}]`),
      ]),
    )
  }
  if (type instanceof types.BytesType || type instanceof types.FixedType) {
    if (typeof json !== 'string') {
      throw new AvroDataError(path, `must be a string of ${describe(type)}; got ${show(json)}`)
    }
    const bytes = latin1Bytes(json, path)
    if (type instanceof types.FixedType && bytes.length !== type.size) {
      throw new AvroDataError(
        path,
        `must be ${type.size} bytes for ${describe(type)}; got ${bytes.length}`,
      )
    }
    return bytes
  }
  if (!type.isValid(json)) {
    const expected =
      type instanceof types.EnumType
        ? `one of the symbols ${type.symbols.join(', ')} of ${describe(type)}`
        : `a valid ${describe(type)}`
    throw new AvroDataError(path, `must be ${expected}; got ${show(json)}`)
  }
  return json
}

/** The Avro JSON encoding of a decoded value, the inverse of avroValueFromJson. */
export function avroValueToJson(type: Type, value: unknown): unknown {
  return JSON.parse(type.toString(value))
}
