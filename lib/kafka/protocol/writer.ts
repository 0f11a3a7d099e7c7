/** Writes Kafka request and response bodies into a buffer that grows as needed. */

const INT64_LIMIT = 2 ** 63
const INT64_MAX = 2n ** 63n - 1n

export class ProtocolWriter {
  #buffer = Buffer.allocUnsafe(256)
  #position = 0

  get length(): number {
    return this.#position
  }

  /** Makes room for `size` bytes and returns where they go; the buffer may be replaced, so read it after. */
  private reserve(size: number): number {
    const at = this.#position
    if (at + size > this.#buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, at + size))
      this.#buffer.copy(grown, 0, 0, at)
      this.#buffer = grown
    }
    this.#position += size
    return at
  }

  bool(value: boolean): void {
    this.int8(value ? 1 : 0)
  }

  int8(value: number): void {
    const at = this.reserve(1)
    this.#buffer.writeInt8(value, at)
  }

  int16(value: number): void {
    const at = this.reserve(2)
    this.#buffer.writeInt16BE(value, at)
  }

  uint16(value: number): void {
    const at = this.reserve(2)
    this.#buffer.writeUInt16BE(value, at)
  }

  int32(value: number): void {
    const at = this.reserve(4)
    this.#buffer.writeInt32BE(value, at)
  }

  uint32(value: number): void {
    const at = this.reserve(4)
    this.#buffer.writeUInt32BE(value, at)
  }

  /** Clamps Long.MAX_VALUE, which reads as 2^63 once rounded to a number (see ProtocolReader.int64). */
  int64(value: number): void {
    if (!Number.isInteger(value)) throw new RangeError(`int64 is not an integer: ${value}`)
    const wide = value >= INT64_LIMIT ? INT64_MAX : BigInt(value)
    const at = this.reserve(8)
    this.#buffer.writeBigInt64BE(wide, at)
  }

  float64(value: number): void {
    const at = this.reserve(8)
    this.#buffer.writeDoubleBE(value, at)
  }

  uuid(value: string): void {
    const hex = value.replaceAll('-', '')
    if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError(`not a UUID: ${value}`)
    this.raw(Buffer.from(hex, 'hex'))
  }

  uvarint(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new RangeError(`unsigned varint out of range: ${value}`)
    }
    let rest = value
    while (rest >= 0x80) {
      const at = this.reserve(1)
      this.#buffer[at] = (rest % 0x80) | 0x80
      rest = Math.floor(rest / 0x80)
    }
    const at = this.reserve(1)
    this.#buffer[at] = rest
  }

  raw(bytes: Uint8Array): void {
    const at = this.reserve(bytes.length)
    this.#buffer.set(bytes, at)
  }

  private lengthPrefix(compact: boolean, wide: boolean, length: number): void {
    if (compact) this.uvarint(length + 1)
    else if (wide) this.int32(length)
    else this.int16(length)
  }

  string(compact: boolean, value: string | null, nullable: boolean, field: string): void {
    if (value === null) {
      if (!nullable) throw new RangeError(`${field} may not be null in this version`)
      this.lengthPrefix(compact, false, -1)
      return
    }
    const bytes = Buffer.from(value, 'utf8')
    if (bytes.length > 0x7fff) throw new RangeError(`${field} is longer than 32767 bytes`)
    this.lengthPrefix(compact, false, bytes.length)
    this.raw(bytes)
  }

  bytes(compact: boolean, value: Uint8Array | null, nullable: boolean, field: string): void {
    if (value === null) {
      if (!nullable) throw new RangeError(`${field} may not be null in this version`)
      this.lengthPrefix(compact, true, -1)
      return
    }
    this.lengthPrefix(compact, true, value.length)
    this.raw(value)
  }

  array<T>(
    compact: boolean,
    items: readonly T[] | null,
    nullable: boolean,
    field: string,
    element: (writer: this, item: T) => void,
  ): void {
    if (items === null) {
      if (!nullable) throw new RangeError(`${field} may not be null in this version`)
      this.lengthPrefix(compact, true, -1)
      return
    }
    this.lengthPrefix(compact, true, items.length)
    for (const item of items) element(this, item)
  }

  /** A struct that may be null: a marker byte (-1 null, 1 present), then the struct. */
  nullableStruct<T>(value: T | null, write: (writer: this, value: T) => void): void {
    if (value === null) {
      this.int8(-1)
      return
    }
    this.int8(1)
    write(this, value)
  }

  /** Tagged fields in tag order; each entry writes one field's value, or is absent when at its default. */
  taggedFields(
    fields: readonly (readonly [number, (writer: ProtocolWriter) => void] | false)[],
  ): void {
    const present = fields.filter((field) => field !== false)
    this.uvarint(present.length)
    for (const [tag, write] of present) {
      const value = new ProtocolWriter()
      write(value)
      this.uvarint(tag)
      this.uvarint(value.length)
      this.raw(value.finish())
    }
  }

  /** The bytes written so far, as a view (not a copy). */
  finish(): Buffer {
    return this.#buffer.subarray(0, this.#position)
  }
}
