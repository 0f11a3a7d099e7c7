import { z } from 'zod'
import type { StartPosition } from '../../broker/reader.ts'
import { BadRequestError } from '../../errors.ts'
import { ASSIGNOR_NAMES } from '../../groups/assignors/assignors.ts'
import { InvalidConsumerConfigError } from '../../groups/errors.ts'
import { AUTO_OFFSET_RESETS, DEFAULT_AUTO_OFFSET_RESET } from '../../groups/offset-reset.ts'
import type { Subscription } from '../../groups/subscription.ts'
import type { TopicPartition } from '../../groups/topic-partitions.ts'
import { describeZodError } from '../request-body.ts'
import { consumerFormat } from './consumer-formats.ts'
import type { CreateInstanceRequest, SeekRequest } from './instances/consumer-instances.ts'

/** The REST Proxy sends config values as strings; JSON booleans and numbers are taken too. */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((text) => text === 'true')])
const integer = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)])

/**
 * The consumer configs an instance can be created with; anything else is
 * refused (42204) rather than silently ignored. Null stands for "not set", as
 * Jackson-based clients send it.
 */
const createBody = z.strictObject({
  name: z.string().nullish(),
  /** Deprecated in the REST Proxy, and wins over `name` there. */
  id: z.string().nullish(),
  format: z.string().nullish(),
  'auto.offset.reset': z.enum(AUTO_OFFSET_RESETS).nullish(),
  'auto.commit.enable': flag.nullish(),
  'session.timeout.ms': integer.nullish(),
  'partition.assignment.strategy': z.enum(ASSIGNOR_NAMES).nullish(),
})

export function createInstanceRequest(
  groupId: string,
  body: unknown,
): CreateInstanceRequest & { readonly format: ReturnType<typeof consumerFormat> } {
  const result = createBody.safeParse(body)
  if (!result.success) throw new InvalidConsumerConfigError(`${describeZodError(result.error)}.`)
  const config = result.data
  const name = config.id ?? config.name
  const sessionTimeoutMs = config['session.timeout.ms']
  const assignor = config['partition.assignment.strategy']
  return {
    groupId,
    ...(name != null && { name }),
    format: consumerFormat(config.format ?? 'binary'),
    autoOffsetReset: config['auto.offset.reset'] ?? DEFAULT_AUTO_OFFSET_RESET,
    // Kafka's enable.auto.commit defaults to true, and the REST Proxy keeps that default.
    autoCommit: config['auto.commit.enable'] ?? true,
    ...(sessionTimeoutMs != null && { sessionTimeoutMs }),
    ...(assignor != null && { assignor }),
  }
}

const partition = z.object({
  topic: z.string().min(1),
  partition: z.number().int().nonnegative(),
})

export const subscriptionBody = z
  .object({
    topics: z.array(z.string()).nullish(),
    topic_pattern: z.string().min(1).nullish(),
  })
  .refine((body) => (body.topics != null) !== (body.topic_pattern != null), {
    message: 'give either topics or topic_pattern',
  })

export function toSubscription(body: z.infer<typeof subscriptionBody>): Subscription {
  return body.topic_pattern != null
    ? { kind: 'pattern', pattern: body.topic_pattern }
    : { kind: 'topics', topics: body.topics ?? [] }
}

export const partitionsBody = z.object({ partitions: z.array(partition) })

export const nonEmptyPartitionsBody = z.object({ partitions: z.array(partition).min(1) })

/** Offsets as the REST Proxy takes them: the offset of the last record processed. */
export const commitBody = z.object({
  offsets: z
    .array(
      partition.extend({
        offset: z.number().int().nonnegative(),
        metadata: z.string().nullish(),
      }),
    )
    .optional(),
})

const instant = z.string().refine((text) => Number.isFinite(Date.parse(text)), {
  message: 'must be an RFC 3339 timestamp',
})

export const positionsBody = z
  .object({
    offsets: z.array(partition.extend({ offset: z.number().int().nonnegative() })).optional(),
    timestamps: z.array(partition.extend({ timestamp: instant })).optional(),
  })
  .refine((body) => (body.offsets?.length ?? 0) + (body.timestamps?.length ?? 0) > 0, {
    message: 'give at least one of offsets or timestamps',
  })

export function seekRequests(body: z.infer<typeof positionsBody>): SeekRequest[] {
  return [
    ...(body.offsets ?? []).map(({ topic, partition, offset }) => ({
      topic,
      partition,
      to: { kind: 'offset', offset } as const,
    })),
    ...(body.timestamps ?? []).map(({ topic, partition, timestamp }) => ({
      topic,
      partition,
      to: { kind: 'timestamp', timestamp: Date.parse(timestamp) } as const,
    })),
  ]
}

export function seekTo(partitions: readonly TopicPartition[], to: StartPosition): SeekRequest[] {
  return partitions.map(({ topic, partition }) => ({ topic, partition, to }))
}

/**
 * The partitions of `GET .../offsets`, as `?partitions=orders:0,orders:1`. The
 * REST Proxy reads them from a GET body, which Fetch-based servers (Lambda's
 * and Node's Hono adapters) cannot receive; without the parameter the held
 * partitions are meant.
 */
export function partitionsQuery(text: string | undefined): TopicPartition[] | undefined {
  if (text === undefined) return undefined
  return text.split(',').map((item) => {
    const match = /^([a-zA-Z0-9._-]+):(\d{1,9})$/.exec(item.trim())
    if (!match?.[1] || !match[2]) {
      throw new BadRequestError(
        `partitions must be a comma-separated list of topic:partition; got '${item}'.`,
      )
    }
    return { topic: match[1], partition: Number(match[2]) }
  })
}
