import { describe, expect, it } from 'vitest'
import {
  decodeFormatRuns,
  encodeFormatRuns,
  InvalidFormatRunsError,
  type RecordFormats,
} from '../../../lib/broker/payload-formats.ts'

const js: RecordFormats = { key: 'JSON', value: 'STRING' }
const bb: RecordFormats = { key: 'BINARY', value: 'BINARY' }

describe('format runs', () => {
  it('collapses consecutive records that share formats', () => {
    expect(encodeFormatRuns([js, js, js, bb, js])).toBe('3:JS,1:BB,1:JS')
  })

  it('round-trips', () => {
    const formats = [js, bb, bb, js, { key: 'STRING', value: 'JSON' } as RecordFormats]
    expect(decodeFormatRuns(encodeFormatRuns(formats), formats.length)).toEqual(formats)
  })

  it('reads an empty description as all binary', () => {
    expect(decodeFormatRuns('', 2)).toEqual([bb, bb])
  })

  it('rejects runs that do not match the record count', () => {
    expect(() => decodeFormatRuns('3:JS', 4)).toThrow(InvalidFormatRunsError)
  })

  it('rejects malformed runs', () => {
    expect(() => decodeFormatRuns('3:JX', 3)).toThrow(InvalidFormatRunsError)
    expect(() => decodeFormatRuns('JS', 1)).toThrow(InvalidFormatRunsError)
  })
})
