import { describe, expect, it } from 'vitest'
import { PayloadConversionError } from '../../../lib/errors.ts'
import { decodeBase64, fromPayload, toPayload } from '../../../lib/http/payloads.ts'

describe('payload conversion', () => {
  it('decodes strict base64 only', () => {
    expect(Buffer.from(decodeBase64('aGk=', 'v')).toString()).toBe('hi')
    expect(decodeBase64('', 'v')).toHaveLength(0)
    for (const bad of ['aGk', 'a$k=', 'aGk=\n', '====', 'aGl=', '-_8=']) {
      expect(() => decodeBase64(bad, 'The value')).toThrow(PayloadConversionError)
    }
  })

  it('stores JSON as its serialized text and reads it back as JSON', () => {
    const payload = toPayload('JSON', { a: [1, 'x'] }, 'v')
    expect(Buffer.from(payload.bytes).toString()).toBe('{"a":[1,"x"]}')
    expect(fromPayload('JSON', payload.bytes)).toEqual({ a: [1, 'x'] })
  })

  it('stores STRING as UTF-8', () => {
    const payload = toPayload('STRING', 'caf\u00e9', 'v')
    expect([...payload.bytes]).toEqual([0x63, 0x61, 0x66, 0xc3, 0xa9])
    expect(fromPayload('STRING', payload.bytes)).toBe('caf\u00e9')
  })

  it('returns BINARY as base64', () => {
    expect(fromPayload('BINARY', toPayload('BINARY', 'AAEC', 'v').bytes)).toBe('AAEC')
  })

  it('names the field when data has the wrong JSON type', () => {
    expect(() => toPayload('STRING', 42, 'The key')).toThrow(/The key of type STRING/)
    expect(() => toPayload('BINARY', {}, 'The value')).toThrow(/The value of type BINARY/)
  })
})
