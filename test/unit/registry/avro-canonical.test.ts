import { describe, expect, it } from 'vitest'
import { canonicalAvroSchema } from '../../../lib/registry/avro-canonical.ts'

describe('canonicalAvroSchema', () => {
  it('writes primitives in their simple form, wherever they appear', () => {
    expect(canonicalAvroSchema({ type: 'string' })).toBe('string')
    expect(canonicalAvroSchema({ type: { type: 'int' } })).toBe('int')
    expect(canonicalAvroSchema(['null', { type: 'long' }])).toEqual(['null', 'long'])
    expect(canonicalAvroSchema({ type: 'array', items: { type: 'bytes' } })).toEqual({
      type: 'array',
      items: 'bytes',
    })
  })

  it('resolves every name to its full name, inheriting namespaces as Avro does', () => {
    const split = {
      type: 'record',
      name: 'Outer',
      namespace: 'a.b',
      fields: [
        { name: 'inner', type: { type: 'record', name: 'Inner', fields: [] } },
        { name: 'again', type: 'Inner' },
        { name: 'other', type: { type: 'enum', name: 'x.Kind', symbols: ['A'] } },
        { name: 'sized', type: { type: 'map', values: 'x.Kind' } },
      ],
    }
    expect(canonicalAvroSchema(split)).toEqual({
      type: 'record',
      name: 'a.b.Outer',
      fields: [
        { name: 'inner', type: { type: 'record', name: 'a.b.Inner', fields: [] } },
        { name: 'again', type: 'a.b.Inner' },
        { name: 'other', type: { type: 'enum', name: 'x.Kind', symbols: ['A'] } },
        { name: 'sized', type: { type: 'map', values: 'x.Kind' } },
      ],
    })
  })

  it('keeps the attributes that change how data resolves', () => {
    const field = { name: 'id', type: 'string', default: '', doc: 'the id', aliases: ['key'] }
    expect(canonicalAvroSchema({ type: 'record', name: 'R', fields: [field] })).toEqual({
      type: 'record',
      name: 'R',
      fields: [field],
    })
    expect(canonicalAvroSchema({ type: 'long', logicalType: 'timestamp-millis' })).toEqual({
      type: 'long',
      logicalType: 'timestamp-millis',
    })
  })
})
