import { expect, inject, it } from 'vitest'
import { anomalyLines } from '../../../lib/check/checker.ts'
import { type FaultCheckOptions, runFaultCheck } from '../../../lib/check/fault-check.ts'
import { FAULT_KINDS } from '../../../lib/check/fault-layer.ts'
import { DEFAULT_FAULT_RATES } from '../../../lib/check/rates.ts'
import { createTestStorage } from '../../support/storage.ts'

/**
 * A short run makes few HTTP requests and commits: their faults are made
 * likelier, so every kind fires.
 */
const SHORT_RUN_RATES = {
  ...DEFAULT_FAULT_RATES,
  lostAnswerUnretried: 0.2,
  lostHttpAnswer: 0.1,
  httpUnavailable: 0.08,
}

async function check(options: Partial<FaultCheckOptions>) {
  const storage = await createTestStorage()
  return runFaultCheck({
    ...storage,
    endpoints: inject('engines') ?? undefined,
    producers: 4,
    recordsPerProducer: 200,
    outstandingSends: 32,
    consumers: 2,
    partitions: 3,
    rates: SHORT_RUN_RATES,
    seed: 11,
    idempotent: true,
    maintenance: true,
    serverKills: 2,
    ...options,
  })
}

/** The short form of `npm run check:faults`: 800 sends and their reads through every fault. */
it('keeps every acknowledged record exactly once and in order through injected faults and server kills', async () => {
  const run = await check({})
  expect(run.serverKills).toBe(2)
  // The kills cut requests in flight and refused new ones until the server was back.
  expect(run.connectionErrors).toBeGreaterThan(0)
  expect(anomalyLines(run.report)).toEqual([])
  expect(run.report.produces.ok).toBeGreaterThan(700)
  expect(run.report.finalRecords).toBe(run.report.produces.ok + run.report.unknownStored)
  for (const kind of FAULT_KINDS) expect(run.faults[kind], kind).toBeGreaterThan(0)
  expect(run.maintenanceRuns.ok).toBeGreaterThan(0)
}, 120_000)

it('catches the duplicates at-least-once delivery makes when answers are lost', async () => {
  const run = await check({
    idempotent: false,
    producers: 2,
    recordsPerProducer: 100,
    consumers: 1,
    maintenance: false,
    serverKills: 0,
    rates: { ...SHORT_RUN_RATES, lostHttpAnswer: 0.3 },
  })
  expect(run.faults.lostHttpAnswer).toBeGreaterThan(0)
  expect(run.report.counts.duplicate).toBeGreaterThan(0)
}, 120_000)
