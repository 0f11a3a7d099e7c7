/** DescribeConfigs and IncrementalAlterConfigs for topics, and an empty broker config. */

import { resolveTopicConfigs, topicConfigValue } from '../../../broker/topic-configs.ts'
import type { ConfigChange } from '../../../broker/topics.ts'
import { ErrorCode } from '../../protocol/error-codes.ts'
import type { DescribeConfigsRequest } from '../../protocol/messages/describe-configs-request.ts'
import {
  type DescribeConfigsResponse,
  type DescribeConfigsResponseDescribeConfigsResult,
  defaultDescribeConfigsResponseDescribeConfigsResourceResult,
} from '../../protocol/messages/describe-configs-response.ts'
import type {
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsRequestAlterableConfig,
} from '../../protocol/messages/incremental-alter-configs-request.ts'
import type { IncrementalAlterConfigsResponse } from '../../protocol/messages/incremental-alter-configs-response.ts'
import type { GatewayContext } from '../context.ts'
import { errorOf } from '../error-codes.ts'

/** Kafka's ConfigResource types. */
const TOPIC = 2
const BROKER = 4

/** Kafka's ConfigSource values. */
const DYNAMIC_TOPIC_CONFIG = 1
const DEFAULT_CONFIG = 5

/** Kafka's AlterConfigOp types. */
const SET = 0
const DELETE = 1
const APPEND = 2
const SUBTRACT = 3

async function describeResource(
  context: GatewayContext,
  resourceType: number,
  resourceName: string,
  keys: readonly string[] | null,
): Promise<DescribeConfigsResponseDescribeConfigsResult> {
  const result = { resourceType, resourceName, errorCode: ErrorCode.NONE, errorMessage: null }
  // The gateway has no broker configs a client could change.
  if (resourceType === BROKER) return { ...result, configs: [] }
  if (resourceType !== TOPIC) {
    return {
      ...result,
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: `Resource type ${resourceType} has no configs here.`,
      configs: [],
    }
  }
  try {
    const topic = await context.broker.topics.describe(resourceName)
    const configs = resolveTopicConfigs(topic.configs)
      .filter((config) => keys === null || keys.includes(config.name))
      .map((config) => ({
        ...defaultDescribeConfigsResponseDescribeConfigsResourceResult(),
        name: config.name,
        value: config.value,
        configSource: config.isDefault ? DEFAULT_CONFIG : DYNAMIC_TOPIC_CONFIG,
      }))
    return { ...result, configs }
  } catch (error) {
    return { ...result, ...errorOf(error), configs: [] }
  }
}

export async function describeConfigs(
  context: GatewayContext,
  request: DescribeConfigsRequest,
): Promise<DescribeConfigsResponse> {
  return {
    throttleTimeMs: 0,
    results: await Promise.all(
      request.resources.map((r) =>
        describeResource(context, r.resourceType, r.resourceName, r.configurationKeys),
      ),
    ),
  }
}

class UnsupportedOperationError extends Error {
  override name = 'UnsupportedOperationError'
}

/** APPEND and SUBTRACT work on list configs; cleanup.policy is the one list Sluice has. */
function listChange(
  current: Readonly<Record<string, string>>,
  config: IncrementalAlterConfigsRequestAlterableConfig,
): ConfigChange {
  if (config.name !== 'cleanup.policy') {
    throw new UnsupportedOperationError(
      `Config '${config.name}' is not a list: it takes SET and DELETE only.`,
    )
  }
  const items = topicConfigValue(current, config.name)
    .split(',')
    .map((item) => item.trim())
  const given = (config.value ?? '').split(',').map((item) => item.trim())
  const next =
    config.configOperation === APPEND
      ? [...items, ...given.filter((item) => !items.includes(item))]
      : items.filter((item) => !given.includes(item))
  return { operation: 'SET', name: config.name, value: next.join(',') }
}

async function alterResource(
  context: GatewayContext,
  resourceType: number,
  resourceName: string,
  configs: readonly IncrementalAlterConfigsRequestAlterableConfig[],
  validateOnly: boolean,
) {
  const result = { resourceType, resourceName, errorCode: ErrorCode.NONE, errorMessage: null }
  if (resourceType !== TOPIC) {
    return {
      ...result,
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Only topic configs can be changed.',
    }
  }
  try {
    const topic = await context.broker.topics.describe(resourceName)
    const changes = configs.map((config): ConfigChange => {
      switch (config.configOperation) {
        case SET:
          if (config.value === null)
            throw new UnsupportedOperationError(`SET of '${config.name}' needs a value.`)
          return { operation: 'SET', name: config.name, value: config.value }
        case DELETE:
          return { operation: 'DELETE', name: config.name }
        case APPEND:
        case SUBTRACT:
          return listChange(topic.configs, config)
        default:
          throw new UnsupportedOperationError(`Unknown config operation ${config.configOperation}.`)
      }
    })
    await context.broker.topics.alterConfigs(resourceName, changes, { validateOnly })
    return result
  } catch (error) {
    if (error instanceof UnsupportedOperationError) {
      return { ...result, errorCode: ErrorCode.INVALID_CONFIG, errorMessage: error.message }
    }
    return { ...result, ...errorOf(error) }
  }
}

export async function incrementalAlterConfigs(
  context: GatewayContext,
  request: IncrementalAlterConfigsRequest,
): Promise<IncrementalAlterConfigsResponse> {
  return {
    throttleTimeMs: 0,
    responses: await Promise.all(
      request.resources.map((r) =>
        alterResource(context, r.resourceType, r.resourceName, r.configs, request.validateOnly),
      ),
    ),
  }
}
