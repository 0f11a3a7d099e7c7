import { describe, expect, it } from 'vitest'
import {
  AvroDataError,
  avroValueFromJson,
  avroValueToJson,
} from '../../../lib/registry/avro-json.ts'
import { parseSchema } from '../../../lib/registry/schema-types.ts'
import { frame, unframe, WireFormatError } from '../../../lib/registry/wire-format.ts'

const ORDER = parseSchema({
  schema: JSON.stringify({
    type: 'record',
    name: 'Order',
    namespace: 'shop',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'tags', type: { type: 'array', items: 'string' }, default: [] },
      { name: 'prices', type: { type: 'map', values: 'double' } },
      { name: 'note', type: ['null', 'string', 'int'], default: null },
      { name: 'digest', type: { type: 'fixed', name: 'Digest', size: 2 } },
      { name: 'blob', type: 'bytes' },
      { name: 'state', type: { type: 'enum', name: 'State', symbols: ['NEW', 'PAID'] } },
      {
        name: 'address',
        type: { type: 'record', name: 'Address', fields: [{ name: 'zip', type: 'int' }] },
      },
    ],
  }),
}).avro

const VALID = {
  id: 1,
  tags: ['a'],
  prices: { tea: 1.5 },
  note: { string: 'hi' },
  digest: '\u00ab\u00cd',
  blob: '\u0000\u00ff',
  state: 'PAID',
  address: { zip: 12345 },
}

function failure(json: unknown): AvroDataError {
  try {
    avroValueFromJson(ORDER, json)
  } catch (error) {
    if (error instanceof AvroDataError) return error
    throw error
  }
  throw new Error('expected the value to be refused')
}

describe("Avro's JSON encoding", () => {
  it('round-trips every kind of type through binary', () => {
    const bytes = ORDER.toBuffer(avroValueFromJson(ORDER, VALID))
    expect(avroValueToJson(ORDER, ORDER.fromBuffer(bytes))).toEqual(VALID)
  })

  it('fills missing fields from their defaults', () => {
    const { tags, note, ...rest } = VALID
    const decoded = avroValueToJson(
      ORDER,
      ORDER.fromBuffer(ORDER.toBuffer(avroValueFromJson(ORDER, rest))),
    )
    expect(decoded).toEqual({ ...rest, tags: [], note: null })
  })

  it.each([
    [{ ...VALID, id: 'one' }, 'id', /must be a valid long; got "one"/],
    [{ ...VALID, tags: ['a', 3] }, 'tags[1]', /must be a valid string; got 3/],
    [{ ...VALID, prices: { tea: 'cheap' } }, 'prices["tea"]', /valid double/],
    [{ ...VALID, note: 'hi' }, 'note', /naming one branch of union \[null, string, int\]/],
    [{ ...VALID, note: { string: 7 } }, 'note.string', /valid string; got 7/],
    [{ ...VALID, note: { long: 7 } }, 'note', /naming one branch/],
    [{ ...VALID, digest: 'abc' }, 'digest', /must be 2 bytes for fixed shop\.Digest; got 3/],
    [{ ...VALID, blob: '\u0100' }, 'blob', /code points 0 to 255/],
    [{ ...VALID, state: 'LOST' }, 'state', /one of the symbols NEW, PAID of enum shop\.State/],
    [{ ...VALID, address: { zip: 1.5 } }, 'address.zip', /valid int; got 1.5/],
    [{ ...VALID, address: {} }, 'address.zip', /is missing, and the schema gives it no default/],
    [{ ...VALID, extra: true }, 'extra', /is not a field of record shop\.Order/],
  ])('refuses %j at %s', (json, path, problem) => {
    const error = failure(json)
    expect(error.path).toBe(path)
    expect(error.problem).toMatch(problem)
    expect(error.message).toBe(`field '${path}' ${error.problem}`)
  })

  it('names the top level when the value is not a record at all', () => {
    const error = failure([1])
    expect(error.path).toBe('')
    expect(error.message).toMatch(/^must be a record shop\.Order object; got \[1\]/)
  })
})

describe("Confluent's wire format", () => {
  it('frames a body with a zero byte and the big-endian schema id', () => {
    const framed = frame(0x01020304, Uint8Array.from([9, 8]))
    expect([...framed]).toEqual([0, 1, 2, 3, 4, 9, 8])
    const { schemaId, body } = unframe(framed)
    expect(schemaId).toBe(0x01020304)
    expect([...body]).toEqual([9, 8])
  })

  it('refuses bytes without the header', () => {
    expect(() => unframe(Uint8Array.from([0, 0, 1]))).toThrow(WireFormatError)
    expect(() => unframe(Buffer.from('{"a":1}'))).toThrow(/byte 0x7b, not .*magic byte 0x00/)
  })
})
