import type { RangeOutcome } from '../../../broker/appender.ts'
import type { TopicItem } from '../../../storage/ports/topics.ts'
import type { ProducerIdentity } from '../../../storage/producer-sequences.ts'
import { ErrorCode } from '../../protocol/error-codes.ts'
import type {
  ProduceRequest,
  ProduceRequestTopicProduceData,
} from '../../protocol/messages/produce-request.ts'
import {
  defaultProduceResponse,
  defaultProduceResponsePartitionProduceResponse,
  type ProduceResponse,
  type ProduceResponsePartitionProduceResponse,
  type ProduceResponseTopicProduceResponse,
} from '../../protocol/messages/produce-response.ts'
import type { GatewayContext } from '../context.ts'
import { errorCodeFor } from '../error-codes.ts'
import {
  type AcceptedRange,
  type PreparedRange,
  prepareProducedBatches,
} from '../produced-batches.ts'
import { hasPartition, lookUpTopics } from './topic-lookup.ts'

const ACKS = new Set([0, 1, -1])

/** ProduceResponse.INVALID_OFFSET: where a refused batch landed. */
const NO_OFFSET = -1
/** RecordBatch.NO_TIMESTAMP: the log append time of a CreateTime topic's batch. */
const NO_TIMESTAMP = -1

function partitionError(index: number, errorCode: number, errorMessage: string | null) {
  return {
    ...defaultProduceResponsePartitionProduceResponse(),
    index,
    errorCode,
    errorMessage,
    baseOffset: NO_OFFSET,
  }
}

/**
 * One topic's share: every partition's batches are checked first, then the
 * good ones go to the log in one append (one object, one commit), as a REST
 * produce request does; an idempotent producer's sequences are checked and
 * advanced in that commit. Sluice acknowledges only what is committed, so acks=1
 * and acks=all both mean "durable".
 */
async function produceTopic(
  context: GatewayContext,
  data: ProduceRequestTopicProduceData,
  topic: TopicItem | undefined,
): Promise<ProduceResponseTopicProduceResponse> {
  const answer = (partitionResponses: ProduceResponsePartitionProduceResponse[]) => ({
    name: data.name,
    topicId: data.topicId,
    partitionResponses,
  })
  if (topic === undefined) {
    return answer(
      data.partitionData.map((p) =>
        partitionError(p.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null),
      ),
    )
  }
  const now = context.clock()
  const seen = new Set<number>()
  const prepared: PreparedRange[] = data.partitionData.map(({ index, records }) => {
    if (!hasPartition(topic, index)) {
      return {
        ok: false,
        errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        message: `No partition ${index}.`,
      }
    }
    if (seen.has(index)) {
      return {
        ok: false,
        errorCode: ErrorCode.INVALID_REQUEST,
        message: `Partition ${index} appears twice.`,
      }
    }
    seen.add(index)
    return prepareProducedBatches(topic, index, records, now)
  })
  const stored = await storeAccepted(context, topic, prepared, now)
  return answer(
    data.partitionData.map(({ index }, i) => {
      const outcome = prepared[i] as PreparedRange
      if (!outcome.ok) return partitionError(index, outcome.errorCode, outcome.message)
      const result = stored.get(i)
      if (result === undefined || !result.ok) {
        const error = result?.error
        return partitionError(
          index,
          errorCodeFor(error),
          error instanceof Error ? error.message : null,
        )
      }
      return {
        ...defaultProduceResponsePartitionProduceResponse(),
        index,
        baseOffset: result.baseOffset,
        // A resent batch answers the time its first send was stamped with, as Kafka's brokers do.
        logAppendTimeMs: outcome.stampedAppendTime ? result.appendTime : NO_TIMESTAMP,
      }
    }),
  )
}

type StoreOutcome = RangeOutcome | { readonly ok: false; readonly error: unknown }

/**
 * Appends the accepted ranges, by position in `prepared`. A Kafka client sends
 * all of a request's batches from one producer session, so this is one append;
 * ranges of different sessions (or of none) go to separate appends, since an
 * idempotent commit checks one producer's sequences.
 */
async function storeAccepted(
  context: GatewayContext,
  topic: TopicItem,
  prepared: readonly PreparedRange[],
  appendTime: number,
): Promise<Map<number, StoreOutcome>> {
  const sessions = new Map<string, { producer: ProducerIdentity | undefined; at: number[] }>()
  prepared.forEach((outcome, at) => {
    if (!outcome.ok) return
    const { producer } = outcome
    const key = producer ? `${producer.producerId}/${producer.epoch}` : ''
    const session = sessions.get(key) ?? { producer, at: [] }
    session.at.push(at)
    sessions.set(key, session)
  })
  const stored = new Map<number, StoreOutcome>()
  await Promise.all(
    [...sessions.values()].map(async ({ producer, at }) => {
      const ranges = at.map((position) => (prepared[position] as AcceptedRange).range)
      const results: StoreOutcome[] = await context.broker.appender
        .appendEncoded(topic, ranges, { producer, appendTime })
        .catch((error: unknown) => ranges.map(() => ({ ok: false as const, error })))
      at.forEach((position, i) => {
        stored.set(position, results[i] as StoreOutcome)
      })
    }),
  )
  return stored
}

/** The response, or undefined for acks=0, which Kafka never answers. */
export async function produce(
  context: GatewayContext,
  request: ProduceRequest,
): Promise<ProduceResponse | undefined> {
  if (!ACKS.has(request.acks)) {
    return {
      ...defaultProduceResponse(),
      responses: request.topicData.map((data) => ({
        name: data.name,
        topicId: data.topicId,
        partitionResponses: data.partitionData.map((p) =>
          partitionError(p.index, ErrorCode.INVALID_REQUIRED_ACKS, `acks must be 0, 1 or -1.`),
        ),
      })),
    }
  }
  const topics = await lookUpTopics(
    context,
    request.topicData.map((data) => data.name),
  )
  const responses = await Promise.all(
    request.topicData.map((data) => produceTopic(context, data, topics.get(data.name))),
  )
  return request.acks === 0 ? undefined : { ...defaultProduceResponse(), responses }
}
