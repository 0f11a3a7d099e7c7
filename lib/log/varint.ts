/**
 * Primitives of Kafka's binary format: big-endian fixed-width integers and the
 * zigzag LEB128 varints (int32) and varlongs (int64) of RecordBatch v2.
 * 64-bit values travel as JS numbers, so they must be safe integers.
 */

const INT32_MIN = -(2 ** 31)
const INT32_MAX = 2 ** 31 - 1

/** Base class of the errors raised while reading malformed bytes. */
export class ByteFormatError extends Error {
  override name = 'ByteFormatError'
}

export class TruncatedInputError extends ByteFormatError {
  override name = 'TruncatedInputError'
}

/** An overlong varint, or a 64-bit value outside JavaScript's safe integer range. */
export class MalformedIntegerError extends ByteFormatError {
  override name = 'MalformedIntegerError'
}

function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX
}

/** Zigzag of an int32 as an unsigned 32-bit number; equals the 64-bit zigzag for these values. */
function zigzag32(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0
}

function zigzag64(n: number): bigint {
  const wide = BigInt(n)
  return BigInt.asUintN(64, (wide << 1n) ^ (wide >> 63n))
}

function unsignedVarintSize(value: number): number {
  let size = 1
  // Division, not shifts: above 2^32 the value is not a 32-bit integer.
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) size++
  return size
}

export function varintSize(n: number): number {
  if (!isInt32(n)) throw new RangeError(`varint out of int32 range: ${n}`)
  return unsignedVarintSize(zigzag32(n))
}

export function varlongSize(n: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError(`varlong is not a safe integer: ${n}`)
  // The float may round near 2^54, but never across a 7-bit group boundary.
  return unsignedVarintSize(n >= 0 ? n * 2 : -n * 2 - 1)
}

/** Writes into a buffer of a size computed in advance; the codec knows its sizes exactly. */
export class ByteWriter {
  readonly buffer: Buffer
  #position = 0

  constructor(size: number) {
    // Unsafe allocation is fine: finish() refuses a buffer that was not filled.
    this.buffer = Buffer.allocUnsafe(size)
  }

  get position(): number {
    return this.#position
  }

  int8(n: number): void {
    this.#position = this.buffer.writeInt8(n, this.#position)
  }

  int16(n: number): void {
    this.#position = this.buffer.writeInt16BE(n, this.#position)
  }

  int32(n: number): void {
    this.#position = this.buffer.writeInt32BE(n, this.#position)
  }

  int64(n: number): void {
    if (!Number.isSafeInteger(n)) throw new RangeError(`int64 is not a safe integer: ${n}`)
    this.#position = this.buffer.writeBigInt64BE(BigInt(n), this.#position)
  }

  varint(n: number): void {
    if (!isInt32(n)) throw new RangeError(`varint out of int32 range: ${n}`)
    this.#unsigned32(zigzag32(n))
  }

  varlong(n: number): void {
    if (isInt32(n)) {
      this.#unsigned32(zigzag32(n))
      return
    }
    if (!Number.isSafeInteger(n)) throw new RangeError(`varlong is not a safe integer: ${n}`)
    let rest = zigzag64(n)
    while (rest >= 0x80n) {
      this.#byte(Number(rest & 0x7fn) | 0x80)
      rest >>= 7n
    }
    this.#byte(Number(rest))
  }

  bytes(bytes: Uint8Array): void {
    this.buffer.set(bytes, this.#position)
    this.#position += bytes.length
  }

  utf8(text: string): void {
    this.#position += this.buffer.write(text, this.#position, 'utf8')
  }

  /** Returns the buffer, failing if the precomputed size was wrong. */
  finish(): Buffer {
    if (this.#position !== this.buffer.length) {
      throw new Error(`wrote ${this.#position} bytes into a buffer of ${this.buffer.length}`)
    }
    return this.buffer
  }

  #unsigned32(value: number): void {
    let rest = value
    while (rest >= 0x80) {
      this.#byte((rest & 0x7f) | 0x80)
      rest >>>= 7
    }
    this.#byte(rest)
  }

  // Indexed stores past the end are silently dropped, so check explicitly.
  #byte(value: number): void {
    if (this.#position >= this.buffer.length) throw new RangeError('ByteWriter overflow')
    this.buffer[this.#position++] = value
  }
}

/** A cursor over bytes whose reads throw TruncatedInputError instead of running off the end. */
export class ByteReader {
  readonly #bytes: Uint8Array
  readonly #view: DataView
  readonly #end: number
  #position: number

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.#bytes = bytes
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.#position = start
    this.#end = end
  }

  get position(): number {
    return this.#position
  }

  get remaining(): number {
    return this.#end - this.#position
  }

  int8(): number {
    return this.#view.getInt8(this.#advance(1))
  }

  int16(): number {
    return this.#view.getInt16(this.#advance(2))
  }

  int32(): number {
    return this.#view.getInt32(this.#advance(4))
  }

  uint32(): number {
    return this.#view.getUint32(this.#advance(4))
  }

  int64(): number {
    const at = this.#advance(8)
    return toSafeNumber(this.#view.getBigInt64(at), at)
  }

  varint(): number {
    const start = this.#position
    let raw = 0
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.#bytes[this.#advance(1)] as number
      raw |= (byte & 0x7f) << shift
      if (byte < 0x80) return (raw >>> 1) ^ -(raw & 1)
    }
    throw new MalformedIntegerError(`varint longer than 5 bytes at position ${start}`)
  }

  varlong(): number {
    const start = this.#position
    // Deltas are usually small: stay in 32-bit arithmetic for the first four bytes.
    let raw = 0
    for (let shift = 0; shift < 28; shift += 7) {
      const byte = this.#bytes[this.#advance(1)] as number
      raw |= (byte & 0x7f) << shift
      if (byte < 0x80) return (raw >>> 1) ^ -(raw & 1)
    }
    this.#position = start
    let wide = 0n
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.#bytes[this.#advance(1)] as number
      wide |= BigInt(byte & 0x7f) << shift
      if (byte < 0x80) {
        const raw64 = BigInt.asUintN(64, wide)
        return toSafeNumber((raw64 >> 1n) ^ -(raw64 & 1n), start)
      }
    }
    throw new MalformedIntegerError(`varlong longer than 10 bytes at position ${start}`)
  }

  /** A view, not a copy, of the next `length` bytes. */
  bytes(length: number): Uint8Array {
    const at = this.#advance(length)
    return this.#bytes.subarray(at, at + length)
  }

  skip(length: number): void {
    this.#advance(length)
  }

  #advance(length: number): number {
    if (length < 0 || length > this.#end - this.#position) {
      throw new TruncatedInputError(
        `needed ${length} bytes at position ${this.#position}, only ${this.remaining} left`,
      )
    }
    const at = this.#position
    this.#position += length
    return at
  }
}

function toSafeNumber(value: bigint, position: number): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n)) {
    throw new MalformedIntegerError(
      `64-bit value ${value} at position ${position} is not a safe integer`,
    )
  }
  return n
}
