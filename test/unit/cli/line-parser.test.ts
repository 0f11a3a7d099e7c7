import { describe, expect, it } from 'vitest'
import { InputError } from '../../../lib/cli/exit-codes.ts'
import { parseLine } from '../../../lib/cli/line-parser.ts'

describe('parseLine', () => {
  it('reads a line as its value, or as key and value at the first separator', () => {
    expect(parseLine('a:b:c', { format: 'string' })).toEqual({ value: 'a:b:c' })
    expect(parseLine('a:b:c', { format: 'string', keySeparator: ':' })).toEqual({
      key: 'a',
      value: 'b:c',
    })
    expect(parseLine('k::v', { format: 'string', keySeparator: '::' })).toEqual({
      key: 'k',
      value: 'v',
    })
  })

  it('reads JSON, base64 and Avro values', () => {
    expect(parseLine('{"a":1}', { format: 'json' })).toEqual({
      value: { type: 'JSON', data: { a: 1 } },
    })
    expect(parseLine('aGk=', { format: 'binary' })).toEqual({ value: Buffer.from('hi') })
    expect(parseLine('{"id":1}', { format: 'avro', schema: { id: 3 } })).toEqual({
      value: { type: 'AVRO', data: { id: 1 }, schemaId: 3 },
    })
    expect(parseLine('{"id":1}', { format: 'avro', schema: { text: '"long"' } })).toEqual({
      value: { type: 'AVRO', data: { id: 1 }, schema: '"long"' },
    })
  })

  it('refuses a line that does not fit, saying why', () => {
    const cases = [
      ['no separator', { format: 'string', keySeparator: '\t' }, /No key separator '\t'/],
      ['{"a":', { format: 'json' }, /The value is not JSON/],
      ['not base64!', { format: 'binary' }, /not valid base64/],
      ['aGk', { format: 'binary' }, /not valid base64/],
    ] as const
    for (const [line, options, reason] of cases) {
      expect(() => parseLine(line, options)).toThrow(InputError)
      expect(() => parseLine(line, options)).toThrow(reason)
    }
  })
})
