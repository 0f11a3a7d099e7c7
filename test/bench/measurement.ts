import { costPerGiB, costPerRequest } from './cost.ts'
import type { TimedRun } from './driver.ts'
import type { OperationCount } from './request-counter.ts'
import type { Measurement } from './results.ts'
import { perSecond, summarizeLatencies } from './stats.ts'

const MIB = 1024 ** 2

export interface Volume {
  readonly requests: number
  readonly records: number
  readonly valueBytes: number
}

/** Turns a timed run, the volume it moved and the calls it made into one set of figures. */
export function measurement(
  run: TimedRun,
  volume: Volume,
  counts: readonly OperationCount[],
): Measurement {
  return {
    ...volume,
    elapsedMs: run.elapsedMs,
    recordsPerSecond: perSecond(volume.records, run.elapsedMs),
    mibPerSecond: perSecond(volume.valueBytes / MIB, run.elapsedMs),
    latency: summarizeLatencies(run.latenciesMs),
    counts,
    cost: costPerGiB(counts, volume.valueBytes),
    perRequest: costPerRequest(counts, volume.requests),
  }
}

/** The total volume of some planned or read requests. */
export function totalVolume(
  requests: readonly { readonly records: number; readonly valueBytes: number }[],
): Volume {
  let records = 0
  let valueBytes = 0
  for (const request of requests) {
    records += request.records
    valueBytes += request.valueBytes
  }
  return { requests: requests.length, records, valueBytes }
}
