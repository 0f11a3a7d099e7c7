import { type Column, figure, formatTable } from '../../lib/cli/table.ts'
import type { IdempotenceComparison } from './idempotence-cell.ts'

/** The idempotence section: latency and DynamoDB work per produce request, with and without a producer id. */
export function renderIdempotenceReport(comparison: IdempotenceComparison): string {
  const columns: Column[] = [
    { title: 'run', align: 'left' },
    { title: 'requests' },
    { title: 'p50 ms' },
    { title: 'p99 ms' },
    { title: 'DynamoDB req/produce' },
    { title: 'WCU/produce' },
    { title: 'RCU/produce' },
    { title: 'conflicts' },
  ]
  const rows = comparison.runs.map((r) => [
    r.id,
    r.requests,
    figure(r.latency.p50Ms),
    figure(r.latency.p99Ms),
    figure(r.dynamodbRequestsPerProduce),
    figure(r.dynamodbWriteUnitsPerProduce),
    figure(r.dynamodbReadUnitsPerProduce),
    r.commitConflicts,
  ])
  const { p50, dynamodbRequests } = comparison.ratio
  return [
    `Idempotence: records:batch requests of ${comparison.runs[0].recordsPerRequest} records, each producer on a partition of its own,`,
    'one request in flight each; the same run without and then with producer ids and sequences.',
    formatTable(columns, rows),
    `- with / without: p50 × ${figure(p50)}, DynamoDB requests × ${figure(dynamodbRequests)}. A producer id adds a`,
    '  strongly consistent read of its state (in parallel with the heads) and a state item in the commit.',
  ].join('\n')
}
