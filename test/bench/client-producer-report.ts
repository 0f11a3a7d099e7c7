import { type Column, figure, formatTable } from '../../lib/cli/table.ts'
import type { ClientProducerResult } from './client-producer-cell.ts'

/** The client producer section: what batching across `send` calls buys. */
export function renderClientProducerReport(results: readonly ClientProducerResult[]): string {
  const columns: Column[] = [
    { title: 'run', align: 'left' },
    { title: 'linger ms' },
    { title: 'batch bytes' },
    { title: 'records' },
    { title: 'requests' },
    { title: 'records/request' },
    { title: 'records/s' },
    { title: 'send p50 ms' },
    { title: 'send p99 ms' },
  ]
  const rows = results.map((r) => [
    r.id,
    r.settings.lingerMs,
    r.settings.batchSize,
    r.records,
    r.requests,
    figure(r.recordsPerRequest),
    figure(r.recordsPerSecond),
    figure(r.sendLatency.p50Ms),
    figure(r.sendLatency.p99Ms),
  ])
  return [
    'Client producer: one-record producer.send calls, 256 awaiting at once, keyed over 4',
    'partitions, 1 KiB values, over HTTP on a loopback port; one request in flight per topic.',
    formatTable(columns, rows),
    '- batching on is Kafka’s default linger.ms and batch.size; off is batch.size 0 (a request',
    '  then takes one record of each partition that has one waiting).',
  ].join('\n')
}
