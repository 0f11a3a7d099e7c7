import { DEFAULT_MAINTENANCE_OPTIONS, type MaintenanceOptions } from './maintenance/options.ts'
import { MAINTENANCE_TASKS, type MaintenanceTask } from './maintenance/tasks.ts'
import {
  type StorageNames,
  storageNamesForPrefix,
  type TableId,
  tableDefinitions,
  tableNameVariable,
} from './storage/tables.ts'

/** Settings read from the environment, the same way on Lambda and on a laptop. */
export interface SluiceConfig {
  readonly clusterId: string
  readonly names: StorageNames
  /** Largest request body accepted; Lambda's own limit for a buffered payload is 6 MB. */
  readonly maxRequestBytes: number
  /** How often the local dev server runs maintenance; 0 turns it off (AWS runs it on a schedule). */
  readonly maintenanceIntervalMs: number
  readonly maintenance: Pick<MaintenanceOptions, 'targetSegmentBytes' | 'objectGraceMs'>
  /** What `maintenance:run` may do here; a deployed API that cannot delete objects leaves out gc. */
  readonly maintenanceRunTasks: readonly MaintenanceTask[]
  readonly kafka: KafkaGatewayConfig
}

/** The Kafka wire-protocol gateway (lib/kafka). */
export interface KafkaGatewayConfig {
  /** Where it listens; 0 picks a free port. */
  readonly port: number
  /** What Metadata tells clients to connect to, e.g. a load balancer; the bound address when unset. */
  readonly advertisedHost: string | undefined
  readonly advertisedPort: number | undefined
  /** Every node answers as this one node id, so any of them can stand behind one address. */
  readonly nodeId: number
  /** Frames above this close the connection; Kafka's socket.request.max.bytes is 100 MiB. */
  readonly maxFrameBytes: number
  /** `sasl-plain`: clients authenticate with SASL/PLAIN and an API key; `none`: anyone who connects is served. */
  readonly auth: KafkaAuth
  /**
   * How long a stopping gateway waits for its connections to drain before it
   * closes the rest; a container's stop timeout must leave room for it.
   */
  readonly drainMs: number
}

export const KAFKA_AUTH_MODES = ['none', 'sasl-plain'] as const
export type KafkaAuth = (typeof KAFKA_AUTH_MODES)[number]

function kafkaAuth(env: NodeJS.ProcessEnv, name: string): KafkaAuth {
  const text = env[name] || 'none'
  if (!(KAFKA_AUTH_MODES as readonly string[]).includes(text)) {
    throw new ConfigError(`${name} must be one of ${KAFKA_AUTH_MODES.join(', ')}; got '${text}'.`)
  }
  return text as KafkaAuth
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: 0 | 1): number {
  const text = env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    const kind = min === 0 ? 'non-negative' : 'positive'
    throw new ConfigError(`${name} must be a ${kind} integer; got '${text}'.`)
  }
  return value
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  return integer(env, name, fallback, 1)
}

function maintenanceTasks(env: NodeJS.ProcessEnv, name: string): readonly MaintenanceTask[] {
  const text = env[name]
  if (text === undefined || text === '') return MAINTENANCE_TASKS
  const tasks = text.split(',').map((task) => task.trim())
  const unknown = tasks.find((task) => !(MAINTENANCE_TASKS as readonly string[]).includes(task))
  if (unknown !== undefined) {
    throw new ConfigError(
      `${name} lists '${unknown}'; the tasks are ${MAINTENANCE_TASKS.join(', ')}.`,
    )
  }
  return tasks as MaintenanceTask[]
}

/**
 * Deployed stacks name each table and the bucket explicitly (CloudFormation
 * chooses the names); locally everything derives from one prefix.
 */
function storageNames(env: NodeJS.ProcessEnv): StorageNames {
  const derived = storageNamesForPrefix(env.SLUICE_TABLE_PREFIX || 'sluice')
  const tables = Object.fromEntries(
    (Object.keys(tableDefinitions) as TableId[]).map((id) => [
      id,
      env[tableNameVariable(id)] || derived.tables[id],
    ]),
  ) as Record<TableId, string>
  return { tables, bucket: env.SLUICE_BUCKET || derived.bucket }
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): SluiceConfig {
  return {
    clusterId: env.SLUICE_CLUSTER_ID || 'local',
    names: storageNames(env),
    maxRequestBytes: positiveInteger(env, 'SLUICE_MAX_REQUEST_BYTES', 6 * 1024 * 1024),
    maintenanceIntervalMs: integer(env, 'SLUICE_MAINTENANCE_INTERVAL_MS', 60_000, 0),
    maintenanceRunTasks: maintenanceTasks(env, 'SLUICE_MAINTENANCE_RUN_TASKS'),
    kafka: {
      port: integer(env, 'SLUICE_KAFKA_PORT', 9092, 0),
      advertisedHost: env.SLUICE_KAFKA_ADVERTISED_HOST || undefined,
      advertisedPort: env.SLUICE_KAFKA_ADVERTISED_PORT
        ? positiveInteger(env, 'SLUICE_KAFKA_ADVERTISED_PORT', 9092)
        : undefined,
      nodeId: integer(env, 'SLUICE_KAFKA_NODE_ID', 1, 0),
      maxFrameBytes: positiveInteger(env, 'SLUICE_KAFKA_MAX_FRAME_BYTES', 100 * 1024 * 1024),
      auth: kafkaAuth(env, 'SLUICE_KAFKA_AUTH'),
      drainMs: integer(env, 'SLUICE_KAFKA_DRAIN_MS', 20_000, 0),
    },
    maintenance: {
      targetSegmentBytes: positiveInteger(
        env,
        'SLUICE_SEGMENT_TARGET_BYTES',
        DEFAULT_MAINTENANCE_OPTIONS.targetSegmentBytes,
      ),
      objectGraceMs: positiveInteger(
        env,
        'SLUICE_GC_GRACE_MS',
        DEFAULT_MAINTENANCE_OPTIONS.objectGraceMs,
      ),
    },
  }
}
