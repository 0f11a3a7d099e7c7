import { describe, expect, it } from 'vitest'
import { ConfigError, configFromEnv } from '../../../lib/config.ts'
import { DEFAULT_MAINTENANCE_OPTIONS } from '../../../lib/maintenance/options.ts'
import { reserveFor } from '../../../lib/maintenance/schedule.ts'

describe('maintenance settings from the environment', () => {
  it('runs every minute locally, with the library defaults, unless told otherwise', () => {
    const config = configFromEnv({})
    expect(config.maintenanceIntervalMs).toBe(60_000)
    expect(config.maintenance).toEqual({
      targetSegmentBytes: DEFAULT_MAINTENANCE_OPTIONS.targetSegmentBytes,
      objectGraceMs: DEFAULT_MAINTENANCE_OPTIONS.objectGraceMs,
    })
  })

  it('takes 0 to turn the interval off, and explicit sizes', () => {
    const config = configFromEnv({
      SLUICE_MAINTENANCE_INTERVAL_MS: '0',
      SLUICE_SEGMENT_TARGET_BYTES: '1048576',
      SLUICE_GC_GRACE_MS: '7200000',
    })
    expect(config.maintenanceIntervalMs).toBe(0)
    expect(config.maintenance).toEqual({ targetSegmentBytes: 1048576, objectGraceMs: 7_200_000 })
  })

  it('rejects values that are not integers, or 0 where 0 makes no sense', () => {
    expect(() => configFromEnv({ SLUICE_MAINTENANCE_INTERVAL_MS: '-1' })).toThrow(ConfigError)
    expect(() => configFromEnv({ SLUICE_MAINTENANCE_INTERVAL_MS: '1.5' })).toThrow(
      /non-negative integer/,
    )
    expect(() => configFromEnv({ SLUICE_SEGMENT_TARGET_BYTES: '0' })).toThrow(/positive integer/)
    expect(() => configFromEnv({ SLUICE_GC_GRACE_MS: 'soon' })).toThrow(ConfigError)
  })
})

describe('reserveFor', () => {
  it('keeps 30 s back from a long invocation and a fifth of a short one', () => {
    expect(reserveFor(900_000)).toBe(30_000)
    expect(reserveFor(60_000)).toBe(12_000)
  })
})
