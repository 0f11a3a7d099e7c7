/** How the console writes numbers, sizes, times and payloads: pure functions. */

import type { Payload } from './types.ts'

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US')
}

/** Records per second, to one decimal below 10. */
export function formatRate(perSecond: number): string {
  return `${perSecond < 10 ? perSecond.toFixed(1) : formatCount(Math.round(perSecond))}/s`
}

/** A time as ISO 8601 in UTC without milliseconds' noise when they are zero. */
export function formatTime(time: number | string): string {
  const iso = new Date(time).toISOString()
  return iso.replace('.000Z', 'Z').replace('T', ' ')
}

/** A payload as text: JSON and Avro (in its JSON encoding) pretty-printed, strings as they are. */
export function payloadText(payload: Payload | null): string {
  if (payload === null) return 'null'
  if (payload.type === 'BINARY') return String(payload.data)
  if (payload.type !== 'STRING') return JSON.stringify(payload.data, null, 2)
  const text = String(payload.data)
  // A string that holds a JSON document reads better formatted.
  if (!/^\s*[[{]/.test(text)) return text
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

/** A header value (base64 on the wire) as text when it is UTF-8, else as base64. */
export function headerText(value: string | null): string {
  if (value === null) return 'null'
  const bytes = Uint8Array.from(atob(value), (c) => c.charCodeAt(0))
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return `base64:${value}`
  }
}

/** Text as base64 of its UTF-8 bytes, as the API takes header values and BINARY data. */
export function base64OfText(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** A JSON schema text pretty-printed, or as it is when it does not parse. */
export function prettySchema(schema: string): string {
  try {
    return JSON.stringify(JSON.parse(schema), null, 2)
  } catch {
    return schema
  }
}
