import type { types as AvroTypes, Type } from 'avsc'
import avro from 'avsc'

const { types } = avro

/**
 * Avro's resolution rules match named types by their unqualified names (Java's
 * SchemaCompatibility does the same), so a namespace change alone is not a
 * break. New options every time: avsc caches the resolvers it builds in them.
 */
function resolveOptions() {
  return { ignoreNamespaces: true }
}

/**
 * Why a reader with schema `reader` cannot read data written with `writer`,
 * naming the place that breaks; undefined when it can. Whether it can is
 * decided by avsc's schema resolution alone; the walk below only finds the
 * first field, branch or symbol to blame, because avsc's own messages name
 * types but not where in the schema they sit.
 */
export function readProblem(reader: Type, writer: Type): string | undefined {
  try {
    reader.createResolver(writer, resolveOptions())
    return undefined
  } catch (error) {
    return explain(reader, writer, '', new Set()) ?? (error as Error).message
  }
}

function resolves(reader: Type, writer: Type): boolean {
  try {
    reader.createResolver(writer, resolveOptions())
    return true
  } catch {
    return false
  }
}

function describe(type: Type): string {
  if (type instanceof types.WrappedUnionType || type instanceof types.UnwrappedUnionType) {
    return `union [${type.types.map(describe).join(', ')}]`
  }
  return type.name ? `${type.typeName} ${unqualified(type.name)}` : type.typeName
}

function unqualified(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1)
}

function where(path: string): string {
  return path === '' ? 'at the top level' : `at '${path}'`
}

function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`
}

function isUnion(type: Type): type is AvroTypes.WrappedUnionType {
  return type instanceof types.WrappedUnionType || type instanceof types.UnwrappedUnionType
}

/** The first reason `reader` cannot read `writer`, or undefined when the walk finds nothing new. */
function explain(reader: Type, writer: Type, path: string, seen: Set<string>): string | undefined {
  if (isUnion(writer)) {
    const branch = writer.types.find((candidate) => !resolves(reader, candidate))
    return branch && explain(reader, branch, path, seen)
  }
  if (isUnion(reader)) {
    return `${where(path)}: no branch of the reader's ${describe(reader)} can read the writer's ${describe(writer)}`
  }
  if (reader instanceof types.RecordType && writer instanceof types.RecordType) {
    return explainRecord(reader, writer, path, seen)
  }
  if (reader instanceof types.ArrayType && writer instanceof types.ArrayType) {
    return explain(reader.itemsType, writer.itemsType, `${path}[]`, seen)
  }
  if (reader instanceof types.MapType && writer instanceof types.MapType) {
    return explain(reader.valuesType as Type, writer.valuesType as Type, `${path}{}`, seen)
  }
  if (reader instanceof types.EnumType && writer instanceof types.EnumType) {
    const missing = writer.symbols.filter((symbol) => !reader.symbols.includes(symbol))
    if (missing.length > 0) {
      return `${where(path)}: the writer's enum ${unqualified(writer.name ?? '')} has symbol(s) ${missing.join(', ')} that the reader's enum lacks, and the reader has no default symbol`
    }
  }
  if (reader instanceof types.FixedType && writer instanceof types.FixedType) {
    if (reader.size !== writer.size) {
      return `${where(path)}: the reader's fixed size ${reader.size} differs from the writer's ${writer.size}`
    }
  }
  if (reader.name && writer.name && unqualified(reader.name) !== unqualified(writer.name)) {
    return `${where(path)}: the reader's ${describe(reader)} does not match the writer's ${describe(writer)}, and no alias maps one to the other`
  }
  return `${where(path)}: the reader's ${describe(reader)} cannot read the writer's ${describe(writer)}`
}

function explainRecord(
  reader: AvroTypes.RecordType,
  writer: AvroTypes.RecordType,
  path: string,
  seen: Set<string>,
): string | undefined {
  // A recursive schema leads back to a pair already being explained: nothing new there.
  const pair = `${reader.name}<-${writer.name}`
  if (seen.has(pair)) return undefined
  seen.add(pair)
  if (!resolvesName(reader, writer)) {
    return `${where(path)}: the reader's ${describe(reader)} does not match the writer's ${describe(writer)}, and no alias maps one to the other`
  }
  for (const field of reader.fields) {
    const names = [field.name, ...(field.aliases ?? [])]
    const source = writer.fields.find((candidate) => names.includes(candidate.name))
    const fieldPath = child(path, field.name)
    if (!source) {
      if (field.defaultValue() === undefined) {
        return `at '${fieldPath}': the reader's field '${field.name}' has no default value and is missing from the writer's schema`
      }
      continue
    }
    if (!resolves(field.type, source.type)) {
      const problem = explain(field.type, source.type, fieldPath, seen)
      if (problem) return problem
    }
  }
  return undefined
}

function resolvesName(reader: AvroTypes.RecordType, writer: AvroTypes.RecordType): boolean {
  const names = [reader.name, ...(reader.aliases ?? [])].map((name) => unqualified(name ?? ''))
  return names.includes(unqualified(writer.name ?? ''))
}
