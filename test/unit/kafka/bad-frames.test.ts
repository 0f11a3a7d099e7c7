import { describe, expect, it } from 'vitest'
import { FrameSplitter, FrameTooLargeError } from '../../../lib/kafka/gateway/frame-splitter.ts'
import { decodeRequestFrame } from '../../../lib/kafka/protocol/frames.ts'
import { ProtocolReader } from '../../../lib/kafka/protocol/reader.ts'
import { ProtocolWriter } from '../../../lib/kafka/protocol/writer.ts'
import { capturedRequests } from './captured-requests.ts'

const metadataRequest = capturedRequests.find((c) => c.client === 'kafkajs' && c.apiKey === 3)
const produceRequest = capturedRequests.find((c) => c.apiKey === 0)

function frame(hex: string | undefined): Buffer {
  if (hex === undefined) throw new Error('fixture missing')
  return Buffer.from(hex, 'hex')
}

describe('decodeRequestFrame refuses what it cannot answer', () => {
  it('a frame shorter than a header', () => {
    expect(decodeRequestFrame(Buffer.from([0, 3, 0]))).toMatchObject({ kind: 'invalid' })
  })

  it('an API key that is not served', () => {
    const bytes = frame(metadataRequest?.hex)
    bytes.writeInt16BE(999, 0)
    expect(decodeRequestFrame(bytes)).toEqual({
      kind: 'invalid',
      reason: 'API key 999 is not served',
    })
  })

  it('a version of a served API outside the served range', () => {
    const bytes = frame(produceRequest?.hex)
    bytes.writeInt16BE(2, 2)
    expect(decodeRequestFrame(bytes)).toMatchObject({ kind: 'invalid', reason: /version 2/ })
  })

  it('ApiVersions at a version not served: answered at v0 with the versions served', () => {
    const bytes = frame(capturedRequests.find((c) => c.apiKey === 18)?.hex)
    bytes.writeInt16BE(99, 2)
    expect(decodeRequestFrame(bytes)).toEqual({
      kind: 'api-versions-unsupported',
      correlationId: bytes.readInt32BE(4),
    })
  })

  it.each([1, 7, 20])('a request cut %i bytes short', (cut) => {
    const bytes = frame(produceRequest?.hex)
    expect(decodeRequestFrame(bytes.subarray(0, bytes.length - cut))).toMatchObject({
      kind: 'invalid',
    })
  })

  it('a request with bytes after its body', () => {
    const bytes = Buffer.concat([frame(metadataRequest?.hex), Buffer.from([0])])
    expect(decodeRequestFrame(bytes)).toMatchObject({ kind: 'invalid', reason: /left after/ })
  })

  it('an array count larger than the frame could hold', () => {
    const writer = new ProtocolWriter()
    writer.int32(1_000_000_000)
    const reader = new ProtocolReader(writer.finish())
    expect(() => reader.array(false, (r) => r.int32())).toThrow(/1000000000 elements/)
  })

  it('a string that is not UTF-8', () => {
    const reader = new ProtocolReader(Buffer.from([0, 2, 0xc3, 0x28]))
    expect(() => reader.string(false)).toThrow(/UTF-8/)
  })
})

describe('FrameSplitter', () => {
  it('splits frames across and within chunks', () => {
    const splitter = new FrameSplitter(100)
    const stream = Buffer.from([0, 0, 0, 2, 1, 2, 0, 0, 0, 1, 3, 0, 0, 0, 0])
    const frames = [...stream].flatMap((byte) => splitter.push(Buffer.from([byte])))
    expect(frames.map((f) => [...f])).toEqual([[1, 2], [3], []])
  })

  it('refuses a frame over the limit before buffering it, and a negative size', () => {
    expect(() => new FrameSplitter(100).push(Buffer.from([0, 0, 0, 101]))).toThrow(
      FrameTooLargeError,
    )
    expect(() => new FrameSplitter(100).push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(
      FrameTooLargeError,
    )
  })
})

describe('64-bit sentinels', () => {
  it('round-trip Long.MAX_VALUE and Long.MIN_VALUE', () => {
    const bytes = Buffer.from('7fffffffffffffff8000000000000000', 'hex')
    const reader = new ProtocolReader(bytes)
    const values = [reader.int64(), reader.int64()]
    const writer = new ProtocolWriter()
    for (const value of values) writer.int64(value)
    expect(writer.finish()).toEqual(bytes)
  })
})
