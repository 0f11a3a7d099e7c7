import { describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '../../../lib/client/errors.ts'
import {
  batchBody,
  batchOverhead,
  encodeRecord,
  IDEMPOTENCE_BYTES,
} from '../../../lib/client/messages.ts'

describe('encodeRecord', () => {
  it('writes the v3 batch entry for each kind of key and value', () => {
    const entries = [
      encodeRecord({ key: 'k', value: 'text' }, '1', 0),
      encodeRecord({ key: Buffer.from([0, 255]), value: Buffer.from('hi') }, '2', 1),
      encodeRecord({ value: { type: 'JSON', data: { a: [1] } } }, '3', 2),
      encodeRecord({ value: { type: 'AVRO', data: { id: 1 }, schemaId: 4, subject: 's' } }, '4', 0),
      encodeRecord(
        { key: 'k', value: null, headers: { h: 'v', n: null }, timestamp: 1_700_000_000_000 },
        '5',
        0,
      ),
    ]
    expect(JSON.parse(batchBody(entries))).toEqual({
      entries: [
        {
          id: '1',
          partition_id: 0,
          key: { type: 'STRING', data: 'k' },
          value: { type: 'STRING', data: 'text' },
        },
        {
          id: '2',
          partition_id: 1,
          key: { type: 'BINARY', data: 'AP8=' },
          value: { type: 'BINARY', data: 'aGk=' },
        },
        { id: '3', partition_id: 2, value: { type: 'JSON', data: { a: [1] } } },
        {
          id: '4',
          partition_id: 0,
          value: { type: 'AVRO', data: { id: 1 }, schema_id: 4, subject: 's' },
        },
        {
          id: '5',
          partition_id: 0,
          key: { type: 'STRING', data: 'k' },
          headers: [
            { name: 'h', value: 'dg==' },
            { name: 'n', value: null },
          ],
          timestamp: '2023-11-14T22:13:20.000Z',
        },
      ],
    })
  })

  it('measures entries in UTF-8 bytes, and requests by their entries and framing', () => {
    const entries = [encodeRecord({ value: 'é' }, '1', 0), encodeRecord({ value: 'x' }, '2', 0)]
    expect(entries.map((e) => e.bytes)).toEqual(
      entries.map((e) => Buffer.byteLength(e.json, 'utf8')),
    )
    const total = entries.reduce((sum, e) => sum + e.bytes, 0)
    expect(Buffer.byteLength(batchBody(entries))).toBe(total + batchOverhead(2))
  })

  it("names the producer and each entry's sequence, within the room reserved for them", () => {
    const entries = [encodeRecord({ value: 'a' }, '1', 0), encodeRecord({ value: 'b' }, '2', 3)]
    const session = { producerId: Number.MAX_SAFE_INTEGER, epoch: 32_767 }
    const body = batchBody(
      entries.map((entry, i) => ({ ...entry, sequence: 2 ** 31 - 2 + i })),
      session,
    )
    expect(JSON.parse(body)).toEqual({
      producer_id: Number.MAX_SAFE_INTEGER,
      producer_epoch: 32_767,
      entries: entries.map((entry, i) => ({
        sequence: 2 ** 31 - 2 + i,
        ...JSON.parse(entry.json),
      })),
    })
    const plain = entries.reduce((sum, e) => sum + e.bytes, 0) + batchOverhead(2)
    expect(Buffer.byteLength(body)).toBe(
      plain + IDEMPOTENCE_BYTES.request + 2 * IDEMPOTENCE_BYTES.entry,
    )
  })

  it('refuses a timestamp that is no time', () => {
    expect(() => encodeRecord({ value: 'x', timestamp: new Date('nope') }, '1', 0)).toThrow(
      InvalidArgumentError,
    )
  })
})
