import { describe, expect, it } from 'vitest'
import { ConfigError, configFromEnv } from '../../lib/config.ts'

describe('configFromEnv', () => {
  it('derives every name from the prefix by default', () => {
    const config = configFromEnv({ SLUICE_TABLE_PREFIX: 'dev' })
    expect(config.names.tables.topics).toBe('dev-topics')
    expect(config.names.tables.segments).toBe('dev-segments')
    expect(config.names.bucket).toBe('dev-data')
    expect(config.clusterId).toBe('local')
  })

  it('takes explicit names, as a deployed stack sets them', () => {
    const config = configFromEnv({
      SLUICE_TOPICS_TABLE: 'Stack-Topics-ABC',
      SLUICE_BUCKET: 'stack-data-xyz',
      SLUICE_CLUSTER_ID: 'prod',
    })
    expect(config.names.tables.topics).toBe('Stack-Topics-ABC')
    expect(config.names.tables.partitions).toBe('sluice-partitions')
    expect(config.names.bucket).toBe('stack-data-xyz')
    expect(config.clusterId).toBe('prod')
  })

  it('rejects a request limit that is not a positive integer', () => {
    expect(() => configFromEnv({ SLUICE_MAX_REQUEST_BYTES: '1e3' })).toThrow(ConfigError)
    expect(() => configFromEnv({ SLUICE_MAX_REQUEST_BYTES: '0' })).toThrow(ConfigError)
    expect(configFromEnv({ SLUICE_MAX_REQUEST_BYTES: '1000' }).maxRequestBytes).toBe(1000)
  })
})
