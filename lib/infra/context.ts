import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import { AUTH_MODES, type AuthMode } from '../auth/auth-mode.ts'
import { ConfigError } from '../config.ts'
import type { SluiceKafkaProps } from './kafka-gateway.ts'
import type { SluiceProps } from './sluice.ts'
import type { LogLevel } from './sluice-function.ts'

/** Reads one context value, as `cdk -c key=value` (a string) or cdk.json (any JSON) gives it. */
export type ContextReader = (key: string) => unknown

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const satisfies readonly LogLevel[]
const REMOVAL_POLICIES = { retain: RemovalPolicy.RETAIN, destroy: RemovalPolicy.DESTROY } as const

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T {
  const found = allowed.find((option) => option === value)
  if (found === undefined) {
    throw new ConfigError(
      `Context ${key} must be one of ${allowed.join(', ')}; got '${String(value)}'.`,
    )
  }
  return found
}

function boolean(key: string, value: unknown): boolean {
  if (value === true || value === 'true') return true
  if (value === false || value === 'false') return false
  throw new ConfigError(`Context ${key} must be true or false; got '${String(value)}'.`)
}

function positiveInteger(key: string, value: unknown): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) {
    throw new ConfigError(`Context ${key} must be a positive integer; got '${String(value)}'.`)
  }
  return number
}

function schedules(key: string, value: unknown): Record<string, Duration> {
  const parsed = typeof value === 'string' ? parseJson(key, value) : value
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(
      `Context ${key} must map function names to minutes, e.g. {"compaction": 30}.`,
    )
  }
  return Object.fromEntries(
    Object.entries(parsed).map(([name, minutes]) => [
      name,
      Duration.minutes(positiveInteger(`${key}.${name}`, minutes)),
    ]),
  )
}

function parseJson(key: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new ConfigError(`Context ${key} is not valid JSON: ${text}`)
  }
}

/**
 * The props bin/app.ts passes to the stack, from CDK context: `sluice:clusterId`,
 * `sluice:authMode` (iam | api-key), `sluice:logLevel`, `sluice:removalPolicy`
 * (retain | destroy), `sluice:deletionProtection`, `sluice:maxRequestBytes`,
 * `sluice:apiMemorySize`, `sluice:schedules` ({"name": minutes}), and, to
 * enable the Kafka gateway, `sluice:kafkaAdvertisedHost` with
 * `sluice:kafkaCertificateArn` (and optionally `sluice:kafkaPort`).
 * Unset keys keep the construct's defaults; a bad value fails the synth.
 */
export function sluicePropsFromContext(read: ContextReader): SluiceProps {
  const value = (key: string) => {
    const found = read(`sluice:${key}`)
    return found === undefined || found === '' ? undefined : found
  }
  const props: { -readonly [K in keyof SluiceProps]: SluiceProps[K] } = {}
  const clusterId = value('clusterId')
  if (clusterId !== undefined) props.clusterId = String(clusterId)
  const authMode = value('authMode')
  if (authMode !== undefined)
    props.authMode = oneOf<AuthMode>('sluice:authMode', authMode, AUTH_MODES)
  const logLevel = value('logLevel')
  if (logLevel !== undefined) props.logLevel = oneOf('sluice:logLevel', logLevel, LOG_LEVELS)
  const removal = value('removalPolicy')
  if (removal !== undefined) {
    const name = oneOf('sluice:removalPolicy', removal, ['retain', 'destroy'] as const)
    props.removalPolicy = REMOVAL_POLICIES[name]
  }
  const protection = value('deletionProtection')
  if (protection !== undefined) {
    props.deletionProtection = boolean('sluice:deletionProtection', protection)
  }
  const maxRequestBytes = value('maxRequestBytes')
  if (maxRequestBytes !== undefined) {
    props.maxRequestBytes = positiveInteger('sluice:maxRequestBytes', maxRequestBytes)
  }
  const memory = value('apiMemorySize')
  if (memory !== undefined) props.apiMemorySize = positiveInteger('sluice:apiMemorySize', memory)
  const rates = value('schedules')
  if (rates !== undefined) props.schedules = schedules('sluice:schedules', rates)
  const kafka = kafkaProps(value)
  if (kafka !== undefined) props.kafka = kafka
  return props
}

function kafkaProps(value: (key: string) => unknown): SluiceKafkaProps | undefined {
  const host = value('kafkaAdvertisedHost')
  const certificateArn = value('kafkaCertificateArn')
  const port = value('kafkaPort')
  if (host === undefined && certificateArn === undefined && port === undefined) return undefined
  if (host === undefined || certificateArn === undefined) {
    throw new ConfigError(
      'Context sluice:kafkaAdvertisedHost and sluice:kafkaCertificateArn enable the Kafka gateway together; set both.',
    )
  }
  return {
    advertisedHost: String(host),
    certificate: { certificateArn: String(certificateArn) },
    ...(port !== undefined && { port: positiveInteger('sluice:kafkaPort', port) }),
  }
}
