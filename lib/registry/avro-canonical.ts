/**
 * The form Sluice compares Avro schemas in, as Confluent's registry compares
 * them: by the schema Avro parsed, printed back (Avro's `Schema.toString()`),
 * not by the text submitted. Two spellings of one schema get one id: a
 * primitive as `"long"` or `{"type": "long"}`, a name qualified in `name` or
 * through `namespace` (inherited or not). Unlike Avro's Parsing Canonical
 * Form, it keeps defaults, docs, aliases, logical types and other attributes:
 * schemas that differ in them resolve data differently, so they must keep
 * ids (and texts) of their own.
 */

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'])
const NAMED = new Set(['record', 'error', 'enum', 'fixed'])

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

function fullName(name: string, namespace: string): string {
  return name.includes('.') || namespace === '' ? name : `${namespace}.${name}`
}

function namespaceOf(fullname: string): string {
  return fullname.includes('.') ? fullname.slice(0, fullname.lastIndexOf('.')) : ''
}

/** A schema (already accepted by avsc) in canonical form, its names resolved in `namespace`. */
export function canonicalAvroSchema(schema: Json, namespace = ''): Json {
  if (typeof schema === 'string') {
    return PRIMITIVES.has(schema) ? schema : fullName(schema, namespace)
  }
  if (Array.isArray(schema)) return schema.map((branch) => canonicalAvroSchema(branch, namespace))
  if (schema === null || typeof schema !== 'object') return schema
  const { type, ...attributes } = schema
  if (type === undefined) return schema
  if (Object.keys(attributes).length === 0) return canonicalAvroSchema(type, namespace)
  if (typeof type === 'string' && NAMED.has(type)) {
    const { name, namespace: own, fields, ...rest } = attributes
    const resolved = fullName(String(name), typeof own === 'string' ? own : namespace)
    const inner = namespaceOf(resolved)
    return {
      ...rest,
      type,
      name: resolved,
      ...(Array.isArray(fields) && {
        fields: fields.map((field) =>
          field !== null && typeof field === 'object' && !Array.isArray(field)
            ? { ...field, type: canonicalAvroSchema(field.type ?? null, inner) }
            : field,
        ),
      }),
    }
  }
  if (type === 'array' && attributes.items !== undefined) {
    return { ...attributes, type, items: canonicalAvroSchema(attributes.items, namespace) }
  }
  if (type === 'map' && attributes.values !== undefined) {
    return { ...attributes, type, values: canonicalAvroSchema(attributes.values, namespace) }
  }
  return { ...attributes, type: canonicalAvroSchema(type, namespace) }
}
