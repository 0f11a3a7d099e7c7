/** CreateTopics, DeleteTopics and CreatePartitions over the broker's topic store. */

import { ErrorCode } from '../../protocol/error-codes.ts'
import type { CreatePartitionsRequest } from '../../protocol/messages/create-partitions-request.ts'
import type { CreatePartitionsResponse } from '../../protocol/messages/create-partitions-response.ts'
import type { CreateTopicsRequest } from '../../protocol/messages/create-topics-request.ts'
import {
  type CreateTopicsResponse,
  type CreateTopicsResponseCreatableTopicResult,
  defaultCreateTopicsResponseCreatableTopicResult,
} from '../../protocol/messages/create-topics-response.ts'
import type { DeleteTopicsRequest } from '../../protocol/messages/delete-topics-request.ts'
import type { DeleteTopicsResponse } from '../../protocol/messages/delete-topics-response.ts'
import type { GatewayContext } from '../context.ts'
import { errorOf } from '../error-codes.ts'

/** What a client asks when it leaves the choice to the broker. */
const BROKER_DEFAULT = -1
const DEFAULT_PARTITIONS = 1

/**
 * Sluice keeps one copy of each record in S3, which replicates it itself: any
 * replication factor asked for is accepted and reported as 1. Replica
 * assignments only say how many partitions there are.
 */
export async function createTopics(
  context: GatewayContext,
  request: CreateTopicsRequest,
): Promise<CreateTopicsResponse> {
  const topics = await Promise.all(
    request.topics.map(async (requested): Promise<CreateTopicsResponseCreatableTopicResult> => {
      const result = { ...defaultCreateTopicsResponseCreatableTopicResult(), name: requested.name }
      const partitionsCount =
        requested.assignments.length > 0
          ? requested.assignments.length
          : requested.numPartitions === BROKER_DEFAULT
            ? DEFAULT_PARTITIONS
            : requested.numPartitions
      const configs: Record<string, string> = {}
      for (const config of requested.configs) {
        if (config.value === null) {
          return {
            ...result,
            errorCode: ErrorCode.INVALID_CONFIG,
            errorMessage: `Config '${config.name}' has no value.`,
          }
        }
        configs[config.name] = config.value
      }
      try {
        const topic = await context.broker.topics.create({
          name: requested.name,
          partitionsCount,
          configs,
          validateOnly: request.validateOnly,
        })
        return {
          ...result,
          topicId: topic.topicId,
          numPartitions: topic.partitionsCount,
          replicationFactor: 1,
          configs: [],
        }
      } catch (error) {
        return { ...result, ...errorOf(error) }
      }
    }),
  )
  return { throttleTimeMs: 0, topics }
}

export async function deleteTopics(
  context: GatewayContext,
  request: DeleteTopicsRequest,
): Promise<DeleteTopicsResponse> {
  // v6 names topics by name or id; earlier versions by name only.
  const named = [
    ...request.topicNames.map((name) => ({
      name,
      topicId: '00000000-0000-0000-0000-000000000000',
    })),
    ...request.topics,
  ]
  const all = named.some((t) => t.name === null) ? await context.broker.topics.list() : []
  const responses = await Promise.all(
    named.map(async ({ name, topicId }) => {
      const resolved = name ?? all.find((topic) => topic.topicId === topicId)?.name
      if (resolved === undefined) {
        return {
          name,
          topicId,
          errorCode: ErrorCode.UNKNOWN_TOPIC_ID,
          errorMessage: `No topic has id ${topicId}.`,
        }
      }
      try {
        await context.broker.topics.delete(resolved)
        return { name: resolved, topicId, errorCode: ErrorCode.NONE, errorMessage: null }
      } catch (error) {
        return { name: resolved, topicId, ...errorOf(error) }
      }
    }),
  )
  return { throttleTimeMs: 0, responses }
}

export async function createPartitions(
  context: GatewayContext,
  request: CreatePartitionsRequest,
): Promise<CreatePartitionsResponse> {
  const results = await Promise.all(
    request.topics.map(async ({ name, count }) => {
      try {
        if (request.validateOnly) {
          const topic = await context.broker.topics.describe(name)
          if (count <= topic.partitionsCount) {
            return {
              name,
              errorCode: ErrorCode.INVALID_PARTITIONS,
              errorMessage: `Topic '${name}' already has ${topic.partitionsCount} partitions; the count can only grow.`,
            }
          }
        } else {
          await context.broker.topics.increasePartitions(name, count)
        }
        return { name, errorCode: ErrorCode.NONE, errorMessage: null }
      } catch (error) {
        return { name, ...errorOf(error) }
      }
    }),
  )
  return { throttleTimeMs: 0, results }
}
