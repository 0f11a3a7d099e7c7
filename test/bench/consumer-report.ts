import { type Column, figure, formatTable } from '../../lib/cli/table.ts'
import type { ConsumerResult } from './consumer-cell.ts'

/** The consumer section of the report: read throughput and what each records call asks of DynamoDB. */
export function renderConsumerReport(results: readonly ConsumerResult[]): string {
  const operations = [
    ...new Set(
      results.flatMap((r) =>
        Object.keys(r.requestsPerCall).filter((op) => op.startsWith('DynamoDB')),
      ),
    ),
  ]
  const columns: Column[] = [
    { title: 'run', align: 'left' },
    { title: 'consumers' },
    { title: 'partitions' },
    { title: 'records' },
    { title: 'calls' },
    { title: 'records/s' },
    { title: 'MiB/s' },
    { title: 'call p50 ms' },
    { title: 'call p99 ms' },
    { title: 'DDB req/call' },
    ...operations.map((op) => ({ title: op.replace('DynamoDB ', '') })),
    { title: 'S3 GET/call' },
  ]
  const rows = results.map((r) => [
    r.id,
    r.consumers,
    r.partitions,
    r.records,
    r.recordsCalls,
    figure(r.recordsPerSecond),
    figure(r.mibPerSecond),
    figure(r.latency.p50Ms),
    figure(r.latency.p99Ms),
    figure(r.dynamodbRequestsPerCall),
    ...operations.map((op) => figure(r.requestsPerCall[op] ?? 0)),
    figure(r.requestsPerCall['S3 GetObject'] ?? 0),
  ])
  return [
    'Consumers: v2 GET .../records over a 4-partition topic read from start to end, 1 KiB values,',
    'binary format, pages of up to 500 records; each call is also the member’s heartbeat.',
    formatTable(columns, rows),
    '- DDB req/call: DynamoDB requests per records call (instance read and write, group read,',
    '  session refresh, topic and partition heads, segment index, offsets), SDK retries included.',
  ].join('\n')
}
