import { headerText } from './format.ts'
import type { Payload, ReadRecord } from './types.ts'

/** What the message browser keeps: each part is a case-insensitive "contains"; empty matches all. */
export interface RecordFilter {
  readonly key: string
  readonly value: string
  /** `name` (the header is present) or `name=text` (its value contains text). */
  readonly header: string
}

export const NO_FILTER: RecordFilter = { key: '', value: '', header: '' }

function searchable(payload: Payload | null): string {
  if (payload === null) return 'null'
  return typeof payload.data === 'string' ? payload.data : JSON.stringify(payload.data)
}

const contains = (text: string, part: string) => text.toLowerCase().includes(part.toLowerCase())

export function matchesFilter(record: ReadRecord, filter: RecordFilter): boolean {
  if (filter.key !== '' && !contains(searchable(record.key), filter.key)) return false
  if (filter.value !== '' && !contains(searchable(record.value), filter.value)) return false
  if (filter.header === '') return true
  const at = filter.header.indexOf('=')
  const name = (at < 0 ? filter.header : filter.header.slice(0, at)).trim()
  const part = at < 0 ? undefined : filter.header.slice(at + 1)
  return record.headers.some(
    (header) =>
      header.name === name && (part === undefined || contains(headerText(header.value), part)),
  )
}
