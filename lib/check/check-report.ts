import { ANOMALY_KINDS, anomalyLines } from './checker.ts'
import type { FaultCheckRun } from './fault-check.ts'
import { FAULT_KINDS } from './fault-layer.ts'

/** A fault check's report: what ran, what was injected, and every anomaly found. */
export function renderFaultCheck(run: FaultCheckRun): string {
  const { report } = run
  const seconds = run.elapsedMs / 1000
  return [
    `Operations: ${run.operations} (${report.produces.ok + report.produces.fail + report.produces.unknown} sends, ${report.polls} polls) in ${seconds.toFixed(1)} s, ${(run.operations / seconds).toFixed(0)}/s`,
    `Sends: ${report.produces.ok} acknowledged, ${report.produces.fail} refused, ${report.produces.unknown} unknown (${report.unknownStored} of them stored)`,
    ...Object.entries(run.unknownSends).map(([error, count]) => `  unknown: ${count} × ${error}`),
    `Reads: ${report.recordsRead} records in polls (${run.failedPolls} polls failed); final log ${report.finalRecords} records`,
    `Maintenance runs: ${run.maintenanceRuns.ok} (${run.maintenanceRuns.failed} failed)`,
    `Server kills: ${run.serverKills} (SIGKILL, then restarted on the same engines${run.serverKills > 0 ? `; down ${(run.serverDownMs / run.serverKills / 1000).toFixed(1)} s on average` : ''}); ${run.connectionErrors} requests met a connection error`,
    `Faults injected: ${FAULT_KINDS.map((kind) => `${kind} ${run.faults[kind]}`).join(', ')}`,
    `Anomalies: ${ANOMALY_KINDS.map((kind) => `${kind} ${report.counts[kind]}`).join(', ')}`,
    ...anomalyLines(report),
  ].join('\n')
}
