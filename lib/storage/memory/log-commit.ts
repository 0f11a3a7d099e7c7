import { partitionKey } from '../keys.ts'
import {
  assertCommitFits,
  assertRunFits,
  CommitConflictError,
  type LogCommitter,
  type PartitionAppend,
  type ProducerCommit,
  type SegmentEntry,
} from '../ports/log.ts'
import type { MemoryLogState } from './log-state.ts'
import type { MemoryProducerState } from './producer-state.ts'

/** DynamoDB's name for a failed condition, kept so conflicts read alike on both engines. */
const CONDITION_FAILED = 'ConditionalCheckFailed'

/** One partition's share of a commit: its head moves from the first entry's base to `end`. */
interface PartitionMove {
  readonly partition: number
  readonly entries: readonly SegmentEntry[]
  readonly end: number
}

/**
 * Commits to a MemoryLogState (and a MemoryProducerState for idempotent
 * commits). Every condition is checked before anything is applied, within one
 * synchronous stretch, so a commit lands whole or not at all, as a DynamoDB
 * transaction does.
 */
export class MemoryLogCommitter implements LogCommitter {
  constructor(
    private readonly log: MemoryLogState,
    private readonly producers: MemoryProducerState,
  ) {}

  async commit(
    topicId: string,
    appends: readonly PartitionAppend[],
    _now: number,
    producer?: ProducerCommit,
  ): Promise<void> {
    if (appends.length === 0) return
    assertCommitFits(appends, producer !== undefined)
    const moves = appends.map(({ partition, entry }) => ({
      partition,
      entries: [entry],
      end: entry.lastOffset + 1,
    }))
    const lost = moves.filter((move) => !this.canMove(topicId, move))
    const producerFailures = producer ? this.producerFailures(topicId, producer) : 0
    if (lost.length > 0 || producerFailures > 0) {
      throw new CommitConflictError(
        Array(lost.length + producerFailures).fill(CONDITION_FAILED),
        lost.map((move) => move.partition),
      )
    }
    for (const move of moves) this.move(topicId, move)
    if (producer) this.advance(topicId, producer)
  }

  async commitRun(
    topicId: string,
    partition: number,
    entries: readonly SegmentEntry[],
    _now: number,
  ): Promise<void> {
    const last = entries.at(-1)
    if (!last) return
    assertRunFits(entries)
    const move = { partition, entries, end: last.lastOffset + 1 }
    if (!this.canMove(topicId, move)) throw new CommitConflictError([CONDITION_FAILED], [partition])
    this.move(topicId, move)
  }

  /** Whether the head is at the first entry's base offset and every entry is new to the index. */
  private canMove(topicId: string, { partition, entries }: PartitionMove): boolean {
    const key = partitionKey(topicId, partition)
    const end = this.log.heads.get(key)?.logEndOffset ?? 0
    const indexed = this.log.segments.get(key)
    return (
      end === entries[0]?.baseOffset && entries.every((entry) => !indexed?.has(entry.baseOffset))
    )
  }

  private move(topicId: string, { partition, entries, end }: PartitionMove): void {
    const key = partitionKey(topicId, partition)
    const head = this.log.heads.get(key)
    this.log.heads.set(key, { logStartOffset: head?.logStartOffset ?? 0, logEndOffset: end })
    const indexed = this.log.segments.get(key) ?? new Map<number, SegmentEntry>()
    for (const entry of entries) indexed.set(entry.baseOffset, structuredClone(entry))
    this.log.segments.set(key, indexed)
  }

  /**
   * How many of the producer's conditions fail: a state that is no longer the
   * one read, and, when asked, an epoch that is no longer current.
   */
  private producerFailures(topicId: string, { identity, writes, checkEpoch }: ProducerCommit) {
    const states = this.producers.sequences.get(identity.producerId)
    const changed = writes.filter(({ partition, previous }) => {
      const current = states?.get(partitionKey(topicId, partition))
      return previous === undefined
        ? current !== undefined
        : current?.epoch !== previous.epoch || current.nextSequence !== previous.nextSequence
    })
    const fenced = checkEpoch && this.producers.epochs.get(identity.producerId) !== identity.epoch
    return changed.length + (fenced ? 1 : 0)
  }

  private advance(topicId: string, { identity, writes }: ProducerCommit): void {
    const states = this.producers.sequences.get(identity.producerId) ?? new Map()
    for (const { partition, next } of writes) {
      states.set(partitionKey(topicId, partition), structuredClone(next))
    }
    this.producers.sequences.set(identity.producerId, states)
  }
}
