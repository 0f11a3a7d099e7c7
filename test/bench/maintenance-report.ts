import { type Column, dollars, figure, formatTable } from '../../lib/cli/table.ts'
import type { MaintenanceResult } from './maintenance-cell.ts'

/** The maintenance section of the report: throughput, and what a GiB rewritten costs. */
export function renderMaintenanceReport(results: readonly MaintenanceResult[]): string {
  const operations = [...new Set(results.flatMap((r) => Object.keys(r.cost.requestsPerGiB)))]
  const columns: Column[] = [
    { title: 'run', align: 'left' },
    { title: 'entries before' },
    { title: 'after' },
    { title: 'MiB rewritten' },
    { title: 'MiB written' },
    { title: 'records dropped' },
    { title: 's' },
    { title: 'MiB/s' },
    ...operations.map((op) => ({ title: `${op.replace('DynamoDB ', 'DDB ')}/GiB` })),
    { title: 'requests/GiB' },
    { title: '$/GiB' },
  ]
  const rows = results.map((r) => [
    r.id,
    r.entriesBefore,
    r.entriesAfter,
    figure(r.bytesRewritten / 1024 ** 2),
    figure(r.bytesWritten / 1024 ** 2),
    r.recordsDropped,
    figure(r.elapsedMs / 1000),
    figure(r.mibPerSecond),
    ...operations.map((op) => figure(r.cost.requestsPerGiB[op] ?? 0)),
    figure(Object.values(r.cost.requestsPerGiB).reduce((sum, n) => sum + n, 0)),
    dollars(r.cost.dollarsPerGiB.total),
  ])
  return [
    'Maintenance: one run per topic (merge, or compaction of a topic cycling through 64 keys); per GiB of index entries rewritten',
    formatTable(columns, rows),
    '- entries: index entries of partition 0, i.e. the S3 GETs a read of the whole partition needs.',
    '- requests/GiB: every S3 and DynamoDB request the run made (reads of the index and lease included).',
  ].join('\n')
}
