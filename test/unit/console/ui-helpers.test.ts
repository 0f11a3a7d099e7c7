import { describe, expect, it } from 'vitest'
import { numberOrText, parseConfigLines } from '../../../lib/console/ui/form-input.ts'
import {
  base64OfText,
  formatBytes,
  formatRate,
  formatTime,
  headerText,
  payloadText,
  prettySchema,
} from '../../../lib/console/ui/format.ts'
import { matchesFilter, NO_FILTER } from '../../../lib/console/ui/record-filter.ts'
import type { ReadRecord } from '../../../lib/console/ui/types.ts'

const record: ReadRecord = {
  partition_id: 0,
  offset: 4,
  timestamp: '2024-05-01T00:00:00.000Z',
  key: { type: 'STRING', data: 'Alice' },
  value: { type: 'JSON', data: { page: 'Cart', items: 2 } },
  headers: [
    { name: 'source', value: base64OfText('mobile') },
    { name: 'trace', value: null },
  ],
}

describe('payloads as text', () => {
  it('pretty-prints JSON and Avro, and strings holding JSON', () => {
    expect(payloadText(record.value)).toBe('{\n  "page": "Cart",\n  "items": 2\n}')
    expect(payloadText({ type: 'AVRO', data: { id: 1 }, schema_id: 3 })).toBe('{\n  "id": 1\n}')
    expect(payloadText({ type: 'STRING', data: ' {"a":1}' })).toBe('{\n  "a": 1\n}')
    expect(payloadText({ type: 'JSON', data: 'text' })).toBe('"text"')
  })

  it('leaves other strings, bytes and null as they are', () => {
    expect(payloadText({ type: 'STRING', data: '{not json' })).toBe('{not json')
    expect(payloadText({ type: 'STRING', data: 'plain' })).toBe('plain')
    expect(payloadText({ type: 'BINARY', data: 'AAEC' })).toBe('AAEC')
    expect(payloadText(null)).toBe('null')
  })

  it('decodes UTF-8 header values, and shows others as base64', () => {
    expect(headerText(base64OfText('grüße'))).toBe('grüße')
    expect(headerText(Buffer.from([0xff, 0xfe]).toString('base64'))).toBe('base64://4=')
    expect(headerText(null)).toBe('null')
  })
})

describe('numbers and times', () => {
  it('formats sizes, rates and times', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB')
    expect(formatRate(2.345)).toBe('2.3/s')
    expect(formatRate(12_345.6)).toBe('12,346/s')
    expect(formatTime('2024-05-01T00:00:00.000Z')).toBe('2024-05-01 00:00:00Z')
    expect(formatTime(Date.parse('2024-05-01T00:00:00.250Z'))).toBe('2024-05-01 00:00:00.250Z')
  })

  it('pretty-prints schemas that parse', () => {
    expect(prettySchema('{"type":"string"}')).toBe('{\n  "type": "string"\n}')
    expect(prettySchema('"string"')).toBe('"string"')
    expect(prettySchema('{oops')).toBe('{oops')
  })
})

describe('the message filter', () => {
  it('matches everything when empty', () => {
    expect(matchesFilter(record, NO_FILTER)).toBe(true)
  })

  it('matches key and value text, case-insensitively, in JSON as sent', () => {
    expect(matchesFilter(record, { ...NO_FILTER, key: 'alice' })).toBe(true)
    expect(matchesFilter(record, { ...NO_FILTER, key: 'bob' })).toBe(false)
    expect(matchesFilter(record, { ...NO_FILTER, value: '"page":"cart"' })).toBe(true)
    expect(matchesFilter(record, { ...NO_FILTER, value: 'checkout' })).toBe(false)
    expect(matchesFilter({ ...record, key: null }, { ...NO_FILTER, key: 'null' })).toBe(true)
  })

  it('matches a header by name, or by name and value text', () => {
    expect(matchesFilter(record, { ...NO_FILTER, header: 'source' })).toBe(true)
    expect(matchesFilter(record, { ...NO_FILTER, header: 'Source' })).toBe(false)
    expect(matchesFilter(record, { ...NO_FILTER, header: 'source=MOB' })).toBe(true)
    expect(matchesFilter(record, { ...NO_FILTER, header: 'source=web' })).toBe(false)
    expect(matchesFilter(record, { ...NO_FILTER, header: 'trace=' })).toBe(true)
    expect(matchesFilter(record, { ...NO_FILTER, header: 'missing' })).toBe(false)
  })

  it('needs every part to match', () => {
    expect(matchesFilter(record, { key: 'alice', value: 'cart', header: 'source' })).toBe(true)
    expect(matchesFilter(record, { key: 'alice', value: 'cart', header: 'missing' })).toBe(false)
  })
})

describe('config lines', () => {
  it('reads name=value lines, skipping blank ones', () => {
    expect(parseConfigLines('retention.ms = 1000\n\n  cleanup.policy=compact\nsegment.ms')).toEqual(
      [
        { name: 'retention.ms', value: '1000' },
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'segment.ms', value: '' },
      ],
    )
  })
})

describe('numbers typed in forms', () => {
  it('become numbers when they read as one, and stay text for the API to refuse otherwise', () => {
    expect(numberOrText(' 3 ')).toBe(3)
    expect(numberOrText('0')).toBe(0)
    expect(numberOrText('-1')).toBe(-1)
    expect(numberOrText('three')).toBe('three')
    expect(numberOrText('')).toBe('')
  })
})
