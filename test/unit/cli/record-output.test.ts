import { describe, expect, it } from 'vitest'
import { InputError } from '../../../lib/cli/exit-codes.ts'
import { decodeBytes, jsonLine, textLine } from '../../../lib/cli/record-output.ts'

const record = {
  topic: 't',
  partition: 1,
  offset: 7,
  timestamp: new Date('2024-05-01T00:00:00Z'),
  headers: [{ name: 'h', value: 'dg==' }],
  key: 'k',
  value: { n: 1 },
}

describe('record output', () => {
  it('prints values as text, with the key when asked', () => {
    expect(textLine(record, { key: 'string', value: 'json' }, undefined)).toBe('{"n":1}')
    expect(textLine(record, { key: 'string', value: 'json' }, { separator: '\t' })).toBe(
      'k\t{"n":1}',
    )
    expect(
      textLine(
        { ...record, key: null, value: 'AAE=' },
        { key: 'string', value: 'binary' },
        {
          separator: ':',
        },
      ),
    ).toBe('null:AAE=')
  })

  it('prints one JSON document per record, leaving out what the source does not have', () => {
    expect(JSON.parse(jsonLine(record))).toEqual({
      topic: 't',
      partition: 1,
      offset: 7,
      timestamp: '2024-05-01T00:00:00.000Z',
      key: 'k',
      value: { n: 1 },
      headers: [{ name: 'h', value: 'dg==' }],
    })
    const { timestamp: _, headers: __, ...bare } = record
    expect(Object.keys(JSON.parse(jsonLine(bare)))).toEqual([
      'topic',
      'partition',
      'offset',
      'key',
      'value',
    ])
  })

  it('decodes consumed bytes as text, base64 or JSON', () => {
    const bytes = Buffer.from('{"a":true}')
    expect(decodeBytes(bytes, 'string', 'value')).toBe('{"a":true}')
    expect(decodeBytes(bytes, 'json', 'value')).toEqual({ a: true })
    expect(decodeBytes(bytes, 'binary', 'value')).toBe(bytes.toString('base64'))
    expect(decodeBytes(null, 'json', 'value')).toBeNull()
    expect(() => decodeBytes(Buffer.from('x'), 'json', 'value at offset 3 of t/0')).toThrow(
      new InputError(
        'The value at offset 3 of t/0 is not JSON; read it with --format string or binary.',
      ),
    )
  })
})
