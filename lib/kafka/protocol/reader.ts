/**
 * Reads the primitives of Kafka's request and response bodies: the fixed-width
 * integers, the unsigned varints of flexible versions, and strings, bytes and
 * arrays whose lengths are int16/int32 in classic versions and "length + 1"
 * unsigned varints (0 meaning null) in flexible ones.
 */
import { ByteFormatError, ByteReader, MalformedIntegerError } from '../../log/varint.ts'

/** The bytes do not form a valid message of the version they claim. */
export class MalformedMessageError extends ByteFormatError {
  override name = 'MalformedMessageError'
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

export class ProtocolReader extends ByteReader {
  bool(): boolean {
    return this.int8() !== 0
  }

  /**
   * 64-bit integers travel as numbers: offsets and timestamps are far inside
   * the safe range, and the sentinels Long.MIN_VALUE and Long.MAX_VALUE
   * (rounded here, clamped back by the writer) keep their meaning.
   */
  override int64(): number {
    return Number(Buffer.from(this.bytes(8)).readBigInt64BE(0))
  }

  uint16(): number {
    return this.int16() & 0xffff
  }

  float64(): number {
    return Buffer.from(this.bytes(8)).readDoubleBE(0)
  }

  uuid(): string {
    const hex = Buffer.from(this.bytes(16)).toString('hex')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }

  uvarint(): number {
    const start = this.position
    let value = 0
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.int8() & 0xff
      value += (byte & 0x7f) * 2 ** shift
      if (byte < 0x80) {
        if (value > 0xffffffff) break
        return value
      }
    }
    throw new MalformedIntegerError(`unsigned varint longer than 32 bits at position ${start}`)
  }

  /** A length that may say null: -1 classic, 0 compact. */
  private lengthPrefix(compact: boolean, wide: boolean): number {
    if (compact) return this.uvarint() - 1
    return wide ? this.int32() : this.int16()
  }

  string(compact: boolean): string | null {
    const length = this.lengthPrefix(compact, false)
    if (length < -1) throw new MalformedMessageError(`string length ${length}`)
    if (length === -1) return null
    try {
      return utf8.decode(this.bytes(length))
    } catch (error) {
      if (error instanceof TypeError) throw new MalformedMessageError('string is not valid UTF-8')
      throw error
    }
  }

  bytesField(compact: boolean): Buffer | null {
    const length = this.lengthPrefix(compact, true)
    if (length < -1) throw new MalformedMessageError(`bytes length ${length}`)
    if (length === -1) return null
    const view = this.bytes(length)
    return Buffer.from(view.buffer, view.byteOffset, view.byteLength)
  }

  array<T>(compact: boolean, element: (reader: this) => T): T[] | null {
    const length = this.lengthPrefix(compact, true)
    if (length < -1) throw new MalformedMessageError(`array length ${length}`)
    if (length === -1) return null
    // Every element takes at least a byte: a huge count in a small frame is a lie, not an allocation.
    if (length > this.remaining) {
      throw new MalformedMessageError(`array of ${length} elements in ${this.remaining} bytes`)
    }
    const items: T[] = []
    for (let i = 0; i < length; i++) items.push(element(this))
    return items
  }

  /** Present (1) or null (-1) marker of a nullable struct. */
  structPresent(): boolean {
    const marker = this.int8()
    if (marker !== 1 && marker !== -1) throw new MalformedMessageError(`struct marker ${marker}`)
    return marker === 1
  }

  /**
   * The tagged-field section of a flexible struct. `known` reads a tag it knows
   * from a reader bounded to the field's bytes and says whether it did; unknown
   * tags are skipped, as Kafka requires.
   */
  taggedFields(known: (tag: number, field: ProtocolReader) => boolean): void {
    const count = this.uvarint()
    let previous = -1
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint()
      if (tag <= previous) throw new MalformedMessageError(`tagged field ${tag} out of order`)
      previous = tag
      const size = this.uvarint()
      const start = this.position
      const field = new ProtocolReader(this.bytes(size))
      if (known(tag, field) && field.remaining !== 0) {
        throw new MalformedMessageError(`tagged field ${tag} has ${field.remaining} extra bytes`)
      }
      if (this.position !== start + size) throw new MalformedMessageError('tagged field overrun')
    }
  }

  /** Fails unless every byte was read: trailing bytes mean a wrong version or a corrupt frame. */
  end(): void {
    if (this.remaining !== 0) {
      throw new MalformedMessageError(`${this.remaining} bytes left after the message`)
    }
  }
}

/** A non-null value where the version does not allow null. */
export function required<T>(value: T | null, field: string): T {
  if (value === null) throw new MalformedMessageError(`${field} is null`)
  return value
}
