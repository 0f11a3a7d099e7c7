import { sequenceAfter } from '../common/sequences.ts'
import { BadRequestError, InvalidRecordError, type SluiceError } from '../errors.ts'
import type { TopicItem } from '../storage/ports/topics.ts'
import type { ProducerIdentity } from '../storage/producer-sequences.ts'
import type { AppendOutcome, LogAppender } from './appender.ts'
import type { ProduceRecord } from './produce-record.ts'
import { checkRecords, type RecordRejection } from './record-checks.ts'

/**
 * Produces what a request could parse. Entries that already failed (bad
 * base64, a wrong shape) and records the topic refuses fail on their own;
 * the rest go to the log in one append, and every entry gets its outcome in order.
 *
 * With a producer id, a partition's records are one batch, as in Kafka: each
 * names its partition and sequence, the sequences count up by one, and a batch
 * with a refused record is refused whole, so no sequence is ever skipped.
 */
export async function produce(
  appender: LogAppender,
  topic: TopicItem,
  entries: readonly (ProduceRecord | SluiceError)[],
  producer?: ProducerIdentity,
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
  for (const { index, error } of sequenceRefusals(records, producer, rejected)) {
    rejected.add(index)
    outcomes[positions[index] as number] = { ok: false, error }
  }
  const accepted = records.filter((_, index) => !rejected.has(index))
  const acceptedPositions = positions.filter((_, index) => !rejected.has(index))
  const appended = await appender.append(topic, accepted, producer)
  appended.forEach((outcome, index) => {
    outcomes[acceptedPositions[index] as number] = outcome
  })
  return outcomes as AppendOutcome[]
}

/**
 * The records a request cannot store for their sequences: with a producer,
 * see `batchRefusals`; without one, every record that carries a sequence.
 * `rejected` are records refused already, which spoil their batch.
 */
export function sequenceRefusals(
  records: readonly ProduceRecord[],
  producer: ProducerIdentity | undefined,
  rejected: ReadonlySet<number> = new Set(),
): RecordRejection[] {
  return producer ? batchRefusals(records, rejected) : unsequencedRefusals(records)
}

/**
 * The records an idempotent request cannot store: those without a partition
 * or a sequence, and every record of a partition whose batch has a refused
 * record or sequences that do not count up by one.
 */
function batchRefusals(
  records: readonly ProduceRecord[],
  rejected: ReadonlySet<number>,
): RecordRejection[] {
  const refusals: RecordRejection[] = []
  const byPartition = new Map<number, number[]>()
  const spoiled = new Set<number>()
  records.forEach((record, index) => {
    if (record.partition === undefined || record.sequence === undefined) {
      if (!rejected.has(index)) {
        refusals.push({
          index,
          error: new BadRequestError(
            'A record from an idempotent producer needs a partition_id and a sequence.',
          ),
        })
      }
      return
    }
    const indices = byPartition.get(record.partition) ?? []
    indices.push(index)
    byPartition.set(record.partition, indices)
    if (rejected.has(index)) spoiled.add(record.partition)
  })
  for (const [partition, indices] of byPartition) {
    const first = records[indices[0] as number]?.sequence as number
    const counts = indices.every(
      (index, position) => records[index]?.sequence === sequenceAfter(first, position),
    )
    const error = spoiled.has(partition)
      ? new InvalidRecordError(
          `Another record of partition ${partition}'s batch was refused, so none of the batch was stored.`,
        )
      : counts
        ? undefined
        : new BadRequestError(
            `The records of partition ${partition} carry sequences ${indices.map((i) => records[i]?.sequence).join(', ')}: a batch's sequences must count up by one.`,
          )
    if (error) {
      for (const index of indices) if (!rejected.has(index)) refusals.push({ index, error })
    }
  }
  return refusals
}

/** Without a producer id a sequence means nothing; a record that carries one was meant for a producer. */
function unsequencedRefusals(records: readonly ProduceRecord[]): RecordRejection[] {
  return records.flatMap((record, index) =>
    record.sequence === undefined
      ? []
      : [
          {
            index,
            error: new BadRequestError(
              'A record with a sequence needs producer_id and producer_epoch.',
            ),
          },
        ],
  )
}
