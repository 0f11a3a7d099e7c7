/**
 * A pure checker of fault-check histories, in the spirit of Jepsen's queue
 * checkers: it finds every way the log broke its promises to the clients.
 */
import type { History, ProduceOperation } from './history.ts'

export const ANOMALY_KINDS = [
  /** Acknowledged, yet not in the final log. */
  'lost-acked-write',
  /** One value at two offsets. */
  'duplicate',
  /** A process's records of one partition stored out of the order it sent them. */
  'reorder',
  /** An acknowledgement or a read that disagrees with the final log about an offset. */
  'inconsistent-offset',
  /** A read that claims to have covered offsets yet missed a record the log holds there. */
  'poll-skip',
  /** A value that was refused for good, or never sent, yet read. */
  'read-of-failed-write',
] as const

export type AnomalyKind = (typeof ANOMALY_KINDS)[number]

export interface Anomaly {
  readonly kind: AnomalyKind
  readonly partition: number
  readonly detail: string
}

export interface CheckReport {
  readonly anomalies: readonly Anomaly[]
  readonly counts: Readonly<Record<AnomalyKind, number>>
  readonly produces: { readonly ok: number; readonly fail: number; readonly unknown: number }
  /** Unknown produces that did land, and that did not. */
  readonly unknownStored: number
  readonly polls: number
  readonly recordsRead: number
  readonly finalRecords: number
}

interface Location {
  readonly partition: number
  readonly offset: number
}

export function checkHistory(history: History): CheckReport {
  const anomalies: Anomaly[] = []
  const report = (kind: AnomalyKind, partition: number, detail: string) => {
    anomalies.push({ kind, partition, detail })
  }
  const written = new Map(history.produces.map((op) => [op.value, op]))

  // The final log: where each value is, and what each offset holds.
  const locations = new Map<string, Location>()
  const atOffset = new Map<number, Map<number, string>>()
  const sortedOffsets = new Map<number, number[]>()
  let finalRecords = 0
  for (const [partition, records] of history.final) {
    const offsets = new Map<number, string>()
    atOffset.set(partition, offsets)
    sortedOffsets.set(
      partition,
      records.map((record) => record.offset).sort((a, b) => a - b),
    )
    for (const { offset, value } of records) {
      finalRecords++
      offsets.set(offset, value)
      const seen = locations.get(value)
      if (seen) {
        report(
          'duplicate',
          partition,
          `'${value}' is at ${where(seen)} and at ${where({ partition, offset })}`,
        )
        continue
      }
      locations.set(value, { partition, offset })
      const op = written.get(value)
      if (!op || op.outcome === 'fail') {
        report('read-of-failed-write', partition, `${describe(value, op)} is at offset ${offset}`)
      }
    }
  }

  for (const op of history.produces) {
    if (op.outcome !== 'ok') continue
    const found = locations.get(op.value)
    if (!found) {
      report(
        'lost-acked-write',
        op.partition,
        `'${op.value}' was acknowledged at offset ${op.offset} and is gone`,
      )
    } else if (found.partition !== op.partition || found.offset !== op.offset) {
      report(
        'inconsistent-offset',
        op.partition,
        `'${op.value}' was acknowledged at ${where(op)} but is at ${where(found)}`,
      )
    }
  }

  checkOrder(history, locations, report)

  let recordsRead = 0
  for (const poll of history.polls) {
    const finalOffsets = atOffset.get(poll.partition) ?? new Map<number, string>()
    const seen = new Set<number>()
    for (const { offset, value } of poll.records) {
      recordsRead++
      seen.add(offset)
      const stored = finalOffsets.get(offset)
      const op = written.get(value)
      if (!op || op.outcome === 'fail') {
        report(
          'read-of-failed-write',
          poll.partition,
          `${poll.process} read ${describe(value, op)}`,
        )
      } else if (stored !== value) {
        report(
          'inconsistent-offset',
          poll.partition,
          `${poll.process} read '${value}' at offset ${offset}, where the log holds ${stored === undefined ? 'nothing' : `'${stored}'`}`,
        )
      }
    }
    const offsets = sortedOffsets.get(poll.partition) ?? []
    for (let i = firstAtOrAbove(offsets, poll.from); i < offsets.length; i++) {
      const offset = offsets[i] as number
      if (offset >= poll.nextOffset) break
      if (!seen.has(offset)) {
        report(
          'poll-skip',
          poll.partition,
          `${poll.process} read [${poll.from}, ${poll.nextOffset}) and missed offset ${offset}`,
        )
      }
    }
  }

  const counts = Object.fromEntries(ANOMALY_KINDS.map((kind) => [kind, 0])) as Record<
    AnomalyKind,
    number
  >
  for (const anomaly of anomalies) counts[anomaly.kind]++
  const outcomes = { ok: 0, fail: 0, unknown: 0 }
  for (const op of history.produces) outcomes[op.outcome]++
  return {
    anomalies,
    counts,
    produces: outcomes,
    unknownStored: history.produces.filter(
      (op) => op.outcome === 'unknown' && locations.has(op.value),
    ).length,
    polls: history.polls.length,
    recordsRead,
    finalRecords,
  }
}

/** Each process's stored records of a partition must sit in the order it sent them. */
function checkOrder(
  history: History,
  locations: ReadonlyMap<string, Location>,
  report: (kind: AnomalyKind, partition: number, detail: string) => void,
): void {
  const streams = new Map<string, { seq: number; offset: number; value: string }[]>()
  for (const op of history.produces) {
    const found = locations.get(op.value)
    if (!found) continue
    const key = `${op.process}\u0000${found.partition}`
    const stream = streams.get(key) ?? []
    stream.push({ seq: op.seq, offset: found.offset, value: op.value })
    streams.set(key, stream)
  }
  for (const [key, stream] of streams) {
    const partition = Number(key.slice(key.indexOf('\u0000') + 1))
    stream.sort((a, b) => a.seq - b.seq)
    stream.forEach((entry, i) => {
      const previous = stream[i - 1]
      if (previous && previous.offset > entry.offset) {
        report(
          'reorder',
          partition,
          `'${entry.value}' (sent after '${previous.value}') is at offset ${entry.offset}, before ${previous.offset}`,
        )
      }
    })
  }
}

/** The index of the first element of ascending `sorted` at or above `target`. */
function firstAtOrAbove(sorted: readonly number[], target: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as number) < target) low = middle + 1
    else high = middle
  }
  return low
}

function where({ partition, offset }: Location): string {
  return `${partition}/${offset}`
}

function describe(value: string, op: ProduceOperation | undefined): string {
  return op ? `refused '${value}'` : `never-sent '${value}'`
}

/** The report's anomalies as lines, at most `limit` of each kind. */
export function anomalyLines(report: CheckReport, limit = 5): string[] {
  return ANOMALY_KINDS.flatMap((kind) => {
    const found = report.anomalies.filter((anomaly) => anomaly.kind === kind)
    return found
      .slice(0, limit)
      .map((anomaly) => `${kind}: partition ${anomaly.partition}: ${anomaly.detail}`)
      .concat(found.length > limit ? [`${kind}: ... and ${found.length - limit} more`] : [])
  })
}
