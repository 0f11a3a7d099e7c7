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
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive integer; got '${text}'.`)
  }
  return value
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
  }
}
