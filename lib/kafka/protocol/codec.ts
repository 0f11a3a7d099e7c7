import type { ProtocolReader } from './reader.ts'
import type { ProtocolWriter } from './writer.ts'

/** What the generator emits for each message spec: its versions and how to read and write it. */
export interface MessageCodec<T> {
  readonly name: string
  /** -1 for headers, which belong to no API. */
  readonly apiKey: number
  readonly minVersion: number
  readonly maxVersion: number
  /** The first flexible version, or null when none is. */
  readonly flexibleFrom: number | null
  defaults(): T
  read(reader: ProtocolReader, version: number): T
  write(writer: ProtocolWriter, version: number, message: T): void
}
