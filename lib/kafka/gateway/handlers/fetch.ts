import { setTimeout as sleep } from 'node:timers/promises'
import type { TopicItem } from '../../../storage/ports/topics.ts'
import { ErrorCode } from '../../protocol/error-codes.ts'
import type { FetchRequest, FetchRequestFetchTopic } from '../../protocol/messages/fetch-request.ts'
import {
  defaultFetchResponse,
  defaultFetchResponsePartitionData,
  type FetchResponse,
  type FetchResponsePartitionData,
} from '../../protocol/messages/fetch-response.ts'
import type { GatewayContext } from '../context.ts'
import { errorCodeFor } from '../error-codes.ts'
import { readStoredBatches } from '../stored-batches.ts'
import { hasPartition, lookUpTopicsToRead } from './topic-lookup.ts'

const POLL_INTERVAL_MS = { min: 50, max: 500 }
const NO_RECORDS = new Uint8Array(0)

interface Wanted {
  readonly topic: TopicItem
  readonly partition: number
  readonly offset: number
}

/** A partition read up to `seen`, its log end when it was last read. */
interface Watched {
  readonly topicId: string
  readonly partition: number
  readonly seen: number
}

function partitionAnswer(
  partitionIndex: number,
  fields: Partial<FetchResponsePartitionData>,
): FetchResponsePartitionData {
  return {
    ...defaultFetchResponsePartitionData(),
    partitionIndex,
    abortedTransactions: [],
    records: NO_RECORDS,
    ...fields,
  }
}

async function fetchPartition(
  context: GatewayContext,
  wanted: Wanted,
  maxBytes: number,
): Promise<FetchResponsePartitionData> {
  const { topic, partition, offset } = wanted
  const { logEnds } = context
  // Below a log end seen before (ends only move forward) the records exist: read them while the head is read.
  const seen = logEnds.guess(topic.topicId, partition)
  const early =
    seen !== undefined && offset < seen && maxBytes > 0
      ? readStoredBatches(context.broker, topic, partition, offset, maxBytes)
      : undefined
  // An answer that turns out out of range drops the early read, and whatever it failed with.
  early?.catch(() => undefined)
  try {
    const head = await context.broker.heads.readOne(topic.topicId, partition)
    logEnds.saw(topic.topicId, partition, head.logEndOffset)
    const marks = {
      highWatermark: head.logEndOffset,
      lastStableOffset: head.logEndOffset,
      logStartOffset: head.logStartOffset,
    }
    if (offset < head.logStartOffset || offset > head.logEndOffset) {
      return partitionAnswer(partition, { ...marks, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE })
    }
    const records =
      offset < head.logEndOffset && maxBytes > 0
        ? await (early ?? readStoredBatches(context.broker, topic, partition, offset, maxBytes))
        : NO_RECORDS
    return partitionAnswer(partition, { ...marks, records })
  } catch (error) {
    return partitionAnswer(partition, { errorCode: errorCodeFor(error) })
  }
}

/** Waits until a watched partition grows past what was seen, or the deadline passes. */
async function waitForRecords(
  context: GatewayContext,
  watched: readonly Watched[],
  deadline: number,
) {
  const byTopic = new Map<string, Watched[]>()
  for (const w of watched) byTopic.set(w.topicId, [...(byTopic.get(w.topicId) ?? []), w])
  let interval = POLL_INTERVAL_MS.min
  for (;;) {
    const remaining = deadline - context.clock()
    if (remaining <= 0) return
    await sleep(Math.min(interval, remaining))
    interval = Math.min(POLL_INTERVAL_MS.max, interval * 2)
    for (const [topicId, partitions] of byTopic) {
      const heads = await context.broker.heads.read(
        topicId,
        partitions.map((w) => w.partition),
      )
      if (partitions.some((w) => (heads.get(w.partition)?.logEndOffset ?? 0) > w.seen)) return
    }
  }
}

/**
 * Kafka's long poll: answer as soon as `minBytes` are there, or when
 * `maxWaitMs` has passed with whatever there is. Fetch sessions are not kept
 * (session id 0), so clients send full fetch requests, which any node can
 * answer.
 */
export async function fetch(
  context: GatewayContext,
  request: FetchRequest,
): Promise<FetchResponse> {
  const deadline = context.clock() + request.maxWaitMs
  const highest = new Map<string, number>()
  for (const { topic, partitions } of request.topics) {
    for (const { partition } of partitions) {
      highest.set(topic, Math.max(partition, highest.get(topic) ?? 0))
    }
  }
  const topics = await lookUpTopicsToRead(context, highest)
  for (;;) {
    const responses = await fetchOnce(context, request, topics)
    const bytes = responses.reduce(
      (sum, t) => sum + t.partitions.reduce((n, p) => n + (p.records?.length ?? 0), 0),
      0,
    )
    const failed = responses.some((t) => t.partitions.some((p) => p.errorCode !== ErrorCode.NONE))
    if (bytes >= Math.max(request.minBytes, 1) || failed || context.clock() >= deadline) {
      return { ...defaultFetchResponse(), responses }
    }
    const watched = request.topics.flatMap((t, i) =>
      watchedOf(t, topics.get(t.topic), responses[i]?.partitions ?? []),
    )
    await waitForRecords(context, watched, deadline)
  }
}

function watchedOf(
  requested: FetchRequestFetchTopic,
  topic: TopicItem | undefined,
  answers: readonly FetchResponsePartitionData[],
): Watched[] {
  if (topic === undefined) return []
  return requested.partitions.map((p, i) => ({
    topicId: topic.topicId,
    partition: p.partition,
    seen: Math.max(p.fetchOffset, answers[i]?.highWatermark ?? 0),
  }))
}

async function fetchOnce(
  context: GatewayContext,
  request: FetchRequest,
  topics: Map<string, TopicItem | undefined>,
) {
  let budget = request.maxBytes
  const responses = []
  for (const requested of request.topics) {
    const topic = topics.get(requested.topic)
    const partitions: FetchResponsePartitionData[] = []
    for (const p of requested.partitions) {
      if (topic === undefined || !hasPartition(topic, p.partition)) {
        partitions.push(
          partitionAnswer(p.partition, { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }),
        )
        continue
      }
      const wanted = { topic, partition: p.partition, offset: p.fetchOffset }
      const answer = await fetchPartition(context, wanted, Math.min(p.partitionMaxBytes, budget))
      budget -= answer.records?.length ?? 0
      partitions.push(answer)
    }
    responses.push({ topic: requested.topic, topicId: requested.topicId, partitions })
  }
  return responses
}
