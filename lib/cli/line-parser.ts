import type { Message, MessageValue } from '../client/messages.ts'
import { SluiceError } from '../errors.ts'
import { decodeBase64 } from '../http/payloads.ts'
import { InputError } from './exit-codes.ts'

/** How `sluice produce` reads a line's value. */
export const LINE_FORMATS = ['string', 'json', 'binary', 'avro'] as const
export type LineFormat = (typeof LINE_FORMATS)[number]

export type LineOptions = {
  /** Splits a key off the line at the first occurrence, as kafka-console-producer's parse.key. */
  readonly keySeparator?: string
} & (
  | { readonly format: 'string' | 'json' | 'binary' }
  | {
      readonly format: 'avro'
      /** An .avsc schema (registered under `<topic>-value` when new), or a registered schema's id. */
      readonly schema: { readonly text: string } | { readonly id: number }
    }
)

function value(text: string, options: LineOptions): MessageValue {
  switch (options.format) {
    case 'string':
      return text
    case 'binary':
      try {
        return decodeBase64(text, 'The value')
      } catch (error) {
        if (error instanceof SluiceError) throw new InputError(error.message)
        throw error
      }
    case 'json':
      return { type: 'JSON', data: json(text) }
    case 'avro': {
      const { schema } = options
      return 'text' in schema
        ? { type: 'AVRO', data: json(text), schema: schema.text }
        : { type: 'AVRO', data: json(text), schemaId: schema.id }
    }
  }
}

function json(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InputError(`The value is not JSON: ${(error as Error).message}.`)
  }
}

/** One input line as a message; a line that does not fit the options is an InputError. */
export function parseLine(line: string, options: LineOptions): Message {
  const separator = options.keySeparator
  if (separator === undefined) return { value: value(line, options) }
  const at = line.indexOf(separator)
  if (at < 0) {
    throw new InputError(`No key separator '${separator}' in the line.`)
  }
  return {
    key: line.slice(0, at),
    value: value(line.slice(at + separator.length), options),
  }
}
