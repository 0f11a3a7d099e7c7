import { InvalidArgumentError } from 'commander'

/** Option parsers: a bad value is a usage error naming the option, before anything is sent. */

export function nonNegativeInteger(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new InvalidArgumentError('Not a non-negative integer.')
  return Number(text)
}

export function positiveInteger(text: string): number {
  const value = nonNegativeInteger(text)
  if (value === 0) throw new InvalidArgumentError('Must be at least 1.')
  return value
}

/** An RFC 3339 date-time, e.g. 2024-05-01T00:00:00Z. */
export function dateTime(text: string): Date {
  const date = new Date(text)
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    throw new InvalidArgumentError('Not an RFC 3339 date-time such as 2024-05-01T00:00:00Z.')
  }
  return date
}

/** Collects a repeatable option's values. */
export function repeatable<T>(parse: (text: string) => T) {
  return (text: string, previous: T[] = []): T[] => [...previous, parse(text)]
}

export function nameValue(text: string): { name: string; value: string } {
  const at = text.indexOf('=')
  if (at <= 0) throw new InvalidArgumentError(`Expected name=value; got '${text}'.`)
  return { name: text.slice(0, at), value: text.slice(at + 1) }
}

export function topicPartition(text: string): { topic: string; partition: number } {
  const match = /^(.+):(\d{1,9})$/.exec(text)
  if (!match?.[1] || !match[2])
    throw new InvalidArgumentError(`Expected topic:partition; got '${text}'.`)
  return { topic: match[1], partition: Number(match[2]) }
}

/** Any string, as a repeatable option's value. */
export function anyText(value: string): string {
  return value
}
