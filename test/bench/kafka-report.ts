import { type Column, figure, formatTable } from '../../lib/cli/table.ts'
import type { ClientProducerResult } from './client-producer-cell.ts'
import type { KafkaBenchResult } from './kafka-cell.ts'

/** The Kafka gateway section, beside the HTTP paths measured in the same run. */
export function renderKafkaReport(
  kafka: KafkaBenchResult,
  clientProducer: readonly ClientProducerResult[],
): string {
  const columns: Column[] = [
    { title: 'path', align: 'left' },
    { title: 'client', align: 'left' },
    { title: 'records' },
    { title: 'seconds' },
    { title: 'records/s' },
    { title: 'MiB/s' },
  ]
  const rows = kafka.paths.map((p) => [
    p.id,
    p.client,
    p.records,
    figure(p.elapsedMs / 1000),
    figure(p.recordsPerSecond),
    figure(p.mibPerSecond),
  ])
  for (const r of clientProducer.filter((c) => c.batching)) {
    rows.push([
      'http-produce',
      'sluice client',
      r.records,
      figure(r.elapsedMs / 1000),
      figure(r.recordsPerSecond),
      figure((r.recordsPerSecond * r.valueBytes) / 2 ** 20),
    ])
  }
  return [
    'Kafka gateway vs HTTP: 1 KiB values keyed over 4 partitions, each client on a loopback port of',
    'this process; kafkajs sends 100 records per send, 8 at once (acks=all), and reads as a group member.',
    formatTable(columns, rows),
    ...(kafka.skipped ? [`- kcat rows left out: ${kafka.skipped}.`] : []),
    '- *-idempotent rows produce with idempotence on: producer ids and sequences checked in the commit.',
    '- http-produce is the client producer cell above (batching on); http-read pages the read API.',
  ].join('\n')
}
