import type { SluiceError } from '../errors.ts'
import type { TopicItem } from '../storage/topic-table.ts'
import type { AppendOutcome, LogAppender } from './appender.ts'
import type { ProduceRecord } from './produce-record.ts'
import { checkRecords } from './record-checks.ts'

/**
 * Produces what a request could parse. Entries that already failed (bad
 * base64, a wrong shape) and records the topic refuses fail on their own;
 * the rest go to the log in one append, and every entry gets its outcome in order.
 */
export async function produce(
  appender: LogAppender,
  topic: TopicItem,
  entries: readonly (ProduceRecord | SluiceError)[],
): Promise<AppendOutcome[]> {
  const outcomes: (AppendOutcome | undefined)[] = entries.map((entry) =>
    entry instanceof Error ? { ok: false, error: entry } : undefined,
  )
  const positions: number[] = []
  const records: ProduceRecord[] = []
  entries.forEach((entry, index) => {
    if (!(entry instanceof Error)) {
      positions.push(index)
      records.push(entry)
    }
  })
  const rejected = new Set<number>()
  for (const { index, error } of checkRecords(topic, records)) {
    rejected.add(index)
    outcomes[positions[index] as number] = { ok: false, error }
  }
  const accepted = records.filter((_, index) => !rejected.has(index))
  const acceptedPositions = positions.filter((_, index) => !rejected.has(index))
  const appended = await appender.append(topic, accepted)
  appended.forEach((outcome, index) => {
    outcomes[acceptedPositions[index] as number] = outcome
  })
  return outcomes as AppendOutcome[]
}
