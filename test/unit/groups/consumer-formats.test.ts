import { describe, expect, it } from 'vitest'
import { PayloadConversionError } from '../../../lib/errors.ts'
import {
  ConsumerFormatMismatchError,
  InvalidConsumerConfigError,
} from '../../../lib/groups/errors.ts'
import { checkAccept, consumerFormat, v2Record } from '../../../lib/http/v2/consumer-formats.ts'
import type { ConsumedRecord } from '../../../lib/http/v2/instances/consumer-instances.ts'

function record(key: string | null, value: string | null): ConsumedRecord {
  const bytes = (text: string | null) => (text === null ? null : new TextEncoder().encode(text))
  return {
    topic: 't',
    partition: 2,
    offset: 7,
    key: bytes(key),
    value: bytes(value),
    headers: [],
    timestamp: 0,
    formats: { key: 'BINARY', value: 'BINARY' },
  }
}

describe('checkAccept', () => {
  it('takes the instance’s own format, the generic v2 type, wildcards and no Accept at all', () => {
    for (const accept of [
      undefined,
      '',
      'application/vnd.kafka.json.v2+json',
      'application/vnd.kafka.v2+json',
      '*/*',
      'application/json; q=0.5',
      'text/html, application/vnd.kafka.json.v2+json;q=0.9',
    ]) {
      expect(() => checkAccept(accept, 'json')).not.toThrow()
    }
  })

  it('refuses another embedded format with 40601', () => {
    const error = (() => {
      try {
        checkAccept('application/vnd.kafka.binary.v2+json', 'json')
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ConsumerFormatMismatchError)
    expect((error as Error).message).toMatch(/application\/vnd\.kafka\.json\.v2\+json/)
  })
})

describe('consumerFormat', () => {
  it('knows binary, json and avro in any case, and says why the other schema formats are refused', () => {
    expect(consumerFormat('BINARY')).toBe('binary')
    expect(consumerFormat('json')).toBe('json')
    expect(consumerFormat('Avro')).toBe('avro')
    expect(() => consumerFormat('protobuf')).toThrow(InvalidConsumerConfigError)
    expect(() => consumerFormat('jsonschema')).toThrow(/schema registry/)
    expect(() => consumerFormat('xml')).toThrow(/unknown/)
  })
})

/** Binary and json consumers never reach for Avro; a call would fail the test. */
const noAvro = () => Promise.reject(new Error('Avro decoding was not expected here'))

describe('v2Record', () => {
  it('returns binary keys and values as base64 and nulls as null', async () => {
    expect(await v2Record('binary', record('k', null), noAvro)).toEqual({
      topic: 't',
      partition: 2,
      offset: 7,
      key: Buffer.from('k').toString('base64'),
      value: null,
    })
  })

  it('parses JSON for a json consumer, and names the record that is not JSON', async () => {
    expect(await v2Record('json', record('"k"', '{"a":[1]}'), noAvro)).toMatchObject({
      key: 'k',
      value: { a: [1] },
    })
    const plain = v2Record('json', record(null, 'plain text'), noAvro)
    await expect(plain).rejects.toThrow(PayloadConversionError)
    await expect(plain).rejects.toThrow(/value at offset 7 of t\/2/)
  })

  it('decodes Avro with the decoder it is given and returns the schema ids', async () => {
    const avro = async (bytes: Uint8Array) => ({
      schemaId: bytes[0] ?? 0,
      data: { first: bytes[0] },
    })
    expect(await v2Record('avro', record('\u0001', '\u0002'), avro)).toEqual({
      topic: 't',
      partition: 2,
      offset: 7,
      key: { first: 1 },
      value: { first: 2 },
      key_schema_id: 1,
      value_schema_id: 2,
    })
  })

  it('names an avro record the decoder cannot read', async () => {
    const notWireFormat = () => Promise.reject(new Error('no magic byte'))
    const read = v2Record('avro', record(null, 'x'), notWireFormat)
    await expect(read).rejects.toThrow(PayloadConversionError)
    await expect(read).rejects.toThrow(/value at offset 7 of t\/2 is not Avro.*no magic byte/)
  })
})
