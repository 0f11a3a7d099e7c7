import { InvalidConfigError } from '../errors.ts'

/**
 * The topic-level configs Sluice honours, with Kafka's names, defaults and
 * bounds. Kafka rejects unknown topic configs, and so does Sluice: a typo must
 * not silently become a no-op.
 */

type Validator = (value: string) => string | undefined

interface ConfigSpec {
  readonly defaultValue: string
  readonly validate: Validator
}

const LONG_PATTERN = /^-?\d+$/

function long(min: number): Validator {
  return (value) => {
    if (!LONG_PATTERN.test(value) || !Number.isSafeInteger(Number(value))) {
      return 'must be an integer'
    }
    return Number(value) < min ? `must be at least ${min}` : undefined
  }
}

function int(min: number): Validator {
  const asLong = long(min)
  return (value) =>
    asLong(value) ?? (Number(value) > 2 ** 31 - 1 ? 'must fit in 32 bits' : undefined)
}

function ratio(): Validator {
  return (value) => {
    const number = Number(value)
    return value.trim() === '' || Number.isNaN(number) || number < 0 || number > 1
      ? 'must be a number between 0 and 1'
      : undefined
  }
}

function oneOf(...allowed: string[]): Validator {
  return (value) => (allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}`)
}

function cleanupPolicy(): Validator {
  return (value) => {
    const policies = value.split(',').map((part) => part.trim())
    const valid =
      policies.length > 0 &&
      policies.every((policy) => policy === 'delete' || policy === 'compact') &&
      new Set(policies).size === policies.length
    return valid ? undefined : 'must be delete, compact, or both separated by a comma'
  }
}

export const TOPIC_CONFIGS = {
  'cleanup.policy': { defaultValue: 'delete', validate: cleanupPolicy() },
  'retention.ms': { defaultValue: '604800000', validate: long(-1) },
  'retention.bytes': { defaultValue: '-1', validate: long(-1) },
  'segment.bytes': { defaultValue: '1073741824', validate: int(14) },
  'segment.ms': { defaultValue: '604800000', validate: long(1) },
  'min.cleanable.dirty.ratio': { defaultValue: '0.5', validate: ratio() },
  'delete.retention.ms': { defaultValue: '86400000', validate: long(0) },
  'min.compaction.lag.ms': { defaultValue: '0', validate: long(0) },
  'max.compaction.lag.ms': { defaultValue: '9223372036854775807', validate: long(1) },
  'max.message.bytes': { defaultValue: '1048588', validate: int(0) },
  'message.timestamp.type': {
    defaultValue: 'CreateTime',
    validate: oneOf('CreateTime', 'LogAppendTime'),
  },
} as const satisfies Record<string, ConfigSpec>

export type TopicConfigName = keyof typeof TOPIC_CONFIGS

export function isTopicConfigName(name: string): name is TopicConfigName {
  return Object.hasOwn(TOPIC_CONFIGS, name)
}

export function validateTopicConfigName(name: string): asserts name is TopicConfigName {
  if (!isTopicConfigName(name)) throw new InvalidConfigError(`Unknown topic config '${name}'.`)
}

/** Throws on an unknown name or an invalid value, naming both. */
export function validateTopicConfig(name: string, value: string): asserts name is TopicConfigName {
  validateTopicConfigName(name)
  const problem = TOPIC_CONFIGS[name].validate(value)
  if (problem)
    throw new InvalidConfigError(`Invalid value '${value}' for config '${name}': ${problem}.`)
}

export function validateTopicConfigs(configs: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(configs)) validateTopicConfig(name, value)
}

export interface ResolvedConfig {
  readonly name: TopicConfigName
  readonly value: string
  readonly isDefault: boolean
}

/** Every config of a topic: its own value where it has one, else the default. */
export function resolveTopicConfigs(overrides: Readonly<Record<string, string>>): ResolvedConfig[] {
  return (Object.keys(TOPIC_CONFIGS) as TopicConfigName[]).map((name) => {
    const own = overrides[name]
    return own === undefined
      ? { name, value: TOPIC_CONFIGS[name].defaultValue, isDefault: true }
      : { name, value: own, isDefault: false }
  })
}

export function topicConfigValue(
  overrides: Readonly<Record<string, string>>,
  name: TopicConfigName,
): string {
  return overrides[name] ?? TOPIC_CONFIGS[name].defaultValue
}

export type CleanupPolicy = 'delete' | 'compact'

/** Whether the topic's `cleanup.policy` (`delete`, `compact` or both) includes `policy`. */
export function hasCleanupPolicy(
  overrides: Readonly<Record<string, string>>,
  policy: CleanupPolicy,
): boolean {
  return topicConfigValue(overrides, 'cleanup.policy')
    .split(',')
    .some((part) => part.trim() === policy)
}
