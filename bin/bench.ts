/**
 * `npm run bench`: throughput, latency, storage floor and cost of produce,
 * read, maintenance, consumer, client and Kafka gateway paths, measured in one
 * run so the figures compare as ratios. Starts local engines (in memory)
 * unless AWS_ENDPOINT_URL is set, and works on fresh tables and a bucket of
 * its own. Progress goes to stderr, the report to stdout, and the figures as
 * JSON to bench-results/. `--quick` runs tiny volumes: a smoke run.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openScratchEnvironment } from '../lib/local/scratch-environment.ts'
import { benchPlan } from '../test/bench/cells.ts'
import { renderClientProducerReport } from '../test/bench/client-producer-report.ts'
import { renderConsumerReport } from '../test/bench/consumer-report.ts'
import { renderKafkaReport } from '../test/bench/kafka-report.ts'
import { renderMaintenanceReport } from '../test/bench/maintenance-report.ts'
import { renderReport, writeResultsJson } from '../test/bench/report.ts'
import { runBench } from '../test/bench/run.ts'

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } })
const progress = (line: string) => console.error(`bench: ${line}`)

progress('starting engines and creating tables…')
const environment = await openScratchEnvironment()
// Ctrl-C must not leave a JVM or a temporary directory behind; the run then ends as the signal says.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    void environment.close().finally(() => process.exit(code))
  })
}
try {
  const results = await runBench(benchPlan(values.quick ? 'quick' : 'full'), environment, progress)
  console.log(renderReport(results))
  console.log(`\n${renderMaintenanceReport(results.maintenance)}`)
  console.log(`\n${renderConsumerReport(results.consumers)}`)
  console.log(`\n${renderClientProducerReport(results.clientProducer)}`)
  console.log(`\n${renderKafkaReport(results.kafka, results.clientProducer)}`)
  console.log(`\nJSON: ${await writeResultsJson(results, resolve('bench-results'))}`)
} finally {
  await environment.close()
}
