import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type Column, dollars, figure, formatTable } from '../../lib/cli/table.ts'
import { GIB } from './cost.ts'
import { renderIdempotenceReport } from './idempotence-report.ts'
import type { MachineConditions } from './machine.ts'
import { AWS_PRICES } from './prices.ts'
import type { BenchResults, Measurement } from './results.ts'

function machineLine(start: MachineConditions, end: MachineConditions): string {
  const load = (m: MachineConditions) => m.loadAverage.map((l) => l.toFixed(2)).join(' ')
  return (
    `${start.cpus} × ${start.cpuModel}, ${(start.totalMemoryBytes / GIB).toFixed(1)} GiB RAM, ` +
    `Node ${start.nodeVersion} on ${start.platform}/${start.arch}; ` +
    `load average ${load(start)} at start, ${load(end)} at end`
  )
}

/** The prices every $ figure used, as the report states them. */
function pricesLine(): string {
  const { s3, dynamodb } = AWS_PRICES
  const perThousand = (price: number) => `$${(price * 1000).toPrecision(2)}/1000`
  const perMillion = (price: number) => `$${(price * 1_000_000).toPrecision(3)}/M`
  return (
    `us-east-1 list prices (REFERENCE.md §10): S3 PUT ${perThousand(s3.putClassRequest)}, ` +
    `GET ${perThousand(s3.getClassRequest)};\n  DynamoDB on demand ${perMillion(dynamodb.writeUnit)} write units ` +
    `(1 KB), ${perMillion(dynamodb.readUnit)} read units (4 KB consistent), transactional ${dynamodb.transactionalMultiplier}×.`
  )
}

function produceTable(results: BenchResults): string {
  const columns: Column[] = [
    { title: 'cell', align: 'left' },
    { title: 'partitions' },
    { title: 'batch' },
    { title: 'requests' },
    { title: 'records/s' },
    { title: 'MiB/s' },
    { title: 'p50 ms' },
    { title: 'p99 ms' },
    { title: 'floor MiB/s' },
    { title: 'floor p50' },
    { title: 'floor p99' },
    { title: '× floor time' },
    { title: '× floor p50' },
    { title: 'conflicts' },
  ]
  const rows = results.produce.map(({ cell, sluice, floor, ratio, commitConflicts }) => [
    cell.id,
    cell.partitions,
    cell.batchSize,
    sluice.requests,
    figure(sluice.recordsPerSecond),
    figure(sluice.mibPerSecond),
    figure(sluice.latency.p50Ms),
    figure(sluice.latency.p99Ms),
    figure(floor.mibPerSecond),
    figure(floor.latency.p50Ms),
    figure(floor.latency.p99Ms),
    figure(ratio.elapsed),
    figure(ratio.p50),
    commitConflicts,
  ])
  return formatTable(columns, rows)
}

/** Requests per GiB for every operation any of the measurements made, in first-seen order. */
function operationsOf(measurements: readonly Measurement[]): string[] {
  const seen = new Set<string>()
  for (const m of measurements) for (const key of Object.keys(m.cost.requestsPerGiB)) seen.add(key)
  return [...seen]
}

function costTable(results: BenchResults): string {
  const operations = operationsOf(results.produce.map((r) => r.sluice))
  const columns: Column[] = [
    { title: 'cell', align: 'left' },
    ...operations.map((op) => ({ title: op.replace('DynamoDB ', 'DDB ') })),
    { title: 'DDB WU' },
    { title: 'DDB RU' },
    { title: '$ S3' },
    { title: '$ DDB' },
    { title: '$ total' },
    { title: 'floor $' },
  ]
  const rows = results.produce.map(({ cell, sluice, floor }) => [
    cell.id,
    ...operations.map((op) => figure(sluice.cost.requestsPerGiB[op] ?? 0)),
    figure(sluice.cost.dynamodbWriteUnitsPerGiB),
    figure(sluice.cost.dynamodbReadUnitsPerGiB),
    dollars(sluice.cost.dollarsPerGiB.s3),
    dollars(sluice.cost.dollarsPerGiB.dynamodb),
    dollars(sluice.cost.dollarsPerGiB.total),
    dollars(floor.cost.dollarsPerGiB.total),
  ])
  return formatTable(columns, rows)
}

function perRequestTable(results: BenchResults): string {
  const columns: Column[] = [
    { title: 'cell', align: 'left' },
    { title: 'S3 req' },
    { title: 'DDB req' },
    { title: 'DDB WU' },
    { title: 'DDB RU' },
    { title: '$/M S3' },
    { title: '$/M DDB' },
    { title: '$/M total' },
    { title: 'floor $/M' },
    { title: 'bare txn $/M' },
    { title: 'bare txn p50 ms' },
    { title: '× bare txn p50' },
  ]
  const rows = results.produce.map(({ cell, sluice, floor, bareTransaction, ratio }) => [
    cell.id,
    figure(sluice.perRequest.s3Requests),
    figure(sluice.perRequest.dynamodbRequests),
    figure(sluice.perRequest.dynamodbWriteUnits),
    figure(sluice.perRequest.dynamodbReadUnits),
    dollars(sluice.perRequest.dollarsPerMillion.s3),
    dollars(sluice.perRequest.dollarsPerMillion.dynamodb),
    dollars(sluice.perRequest.dollarsPerMillion.total),
    dollars(floor.perRequest.dollarsPerMillion.total),
    bareTransaction ? dollars(bareTransaction.perRequest.dollarsPerMillion.total) : '–',
    figure(bareTransaction?.latency.p50Ms ?? Number.NaN),
    figure(ratio.bareTransactionP50),
  ])
  return formatTable(columns, rows)
}

function readTable(results: BenchResults): string {
  const operations = operationsOf(results.reads.map((r) => r.read))
  const columns: Column[] = [
    { title: 'cell', align: 'left' },
    { title: 'records' },
    { title: 'segments' },
    { title: 'pages' },
    { title: 'records/s' },
    { title: 'MiB/s' },
    { title: 'page p50 ms' },
    { title: 'raw GET MiB/s' },
    { title: '× raw GET' },
    { title: 'Fetch MiB/s' },
    { title: 'Fetch × raw GET' },
    { title: 'S3 req/page' },
    { title: 'DDB req/page' },
    { title: 'S3 bytes/value byte' },
    ...operations.map((op) => ({ title: `${op.replace('DynamoDB ', 'DDB ')}/GiB` })),
    { title: 'DDB RU/GiB' },
    { title: '$/GiB' },
  ]
  const rows = results.reads.map((r) => [
    r.cellId,
    r.read.records,
    r.segments,
    r.read.requests,
    figure(r.read.recordsPerSecond),
    figure(r.read.mibPerSecond),
    figure(r.read.latency.p50Ms),
    figure(r.read.valueBytes / 1024 ** 2 / (r.rawGetMs / 1000)),
    figure(r.rawGetRatio),
    figure(r.fetch.read.mibPerSecond),
    figure(r.fetch.rawGetRatio),
    figure(r.read.perRequest.s3Requests),
    figure(r.read.perRequest.dynamodbRequests),
    figure(r.s3BytesPerValueByte),
    ...operations.map((op) => figure(r.read.cost.requestsPerGiB[op] ?? 0)),
    figure(r.read.cost.dynamodbReadUnitsPerGiB),
    dollars(r.read.cost.dollarsPerGiB.total),
  ])
  return formatTable(columns, rows)
}

/** The human-readable report: conditions, then produce, cost and read tables, then how to read them. */
export function renderReport(results: BenchResults): string {
  const { atStart, atEnd } = results.machine
  const kib = results.valueBytes / 1024
  return [
    `Sluice benchmark (${results.mode}), ${results.startedAt}`,
    `Path:     ${results.path}`,
    `Load:     ${results.producers} concurrent producers, one request in flight each; record values ${kib} KiB`,
    `Engines:  ${results.engines}`,
    `Machine:  ${machineLine(atStart, atEnd)}`,
    '',
    'Produce (latency per request; MiB = 2^20 bytes of record values)',
    produceTable(results),
    '',
    'Produce: requests and capacity units per GiB of record values ingested, and $/GiB at AWS list prices',
    costTable(results),
    '',
    'Produce: storage requests and capacity units per produce request, and $ per million produce requests',
    perRequestTable(results),
    '',
    `Read: partition 0 of each cell's topic from offset 0, one consumer, pages of up to 10,000 records / 4 MiB`,
    readTable(results),
    '',
    renderIdempotenceReport(results.idempotence),
    '',
    'How to read this:',
    ...(results.localEngines
      ? [
          '- Latencies are local-engine latencies (DynamoDB Local in a JVM, s3rver inside this process,',
          '  sharing its event loop and CPUs with Sluice), not AWS latencies. Compare within one run, as ratios.',
        ]
      : ['- Latencies include the network path to the engines named above.']),
    "- floor: the same requests' storage work with no Sluice: 1 S3 PutObject of the same bytes plus 1",
    '  TransactWriteItems of the same shape on scratch items, from the same number of producers, never',
    '  contended. × floor time = Sluice wall time / floor wall time for the same requests.',
    "- raw GET: range GETs of the read partition's index entries straight from S3, as many at once as",
    '  the reader makes, in MiB of record values per second; × raw GET = read throughput / raw GET throughput.',
    '- Fetch: the same records through the Kafka gateway on a loopback port, one Fetch after another on',
    "  one connection (librdkafka's limits: 1 MiB per partition, 50 MiB per fetch), batches walked by",
    '  their headers only; × raw GET as for the read API. The read API pays for JSON and base64, which',
    '  Fetch does not: it serves the stored batches as they are.',
    '- conflicts: commits that lost a race with another producer (cancelled TransactWriteItems), then retried.',
    '- bare txn: one TransactWriteItems per request of the items its commit writes, the batch bytes',
    '  inside the index item; no upload, no reads, never contended: the least a produce can cost.',
    '  Measured for one-record requests: a larger batch does not fit in one DynamoDB item.',
    `- $ at ${pricesLine()}`,
    '  Condition checks count as writes and cancelled transactions as charged, so the DynamoDB',
    '  figures are an upper bound.',
  ].join('\n')
}

/** Writes the full results as JSON under `dir`, named by start time; returns the file's path. */
export async function writeResultsJson(results: BenchResults, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  const stamp = results.startedAt.replace(/[:.]/g, '-')
  const path = join(dir, `bench-${stamp}.json`)
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`)
  return path
}
