import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { benchPlan } from '../lib/bench/cells.ts'
import { renderConsumerReport } from '../lib/bench/consumer-report.ts'
import { openEnvironment } from '../lib/bench/environment.ts'
import { renderMaintenanceReport } from '../lib/bench/maintenance-report.ts'
import { renderReport, writeResultsJson } from '../lib/bench/report.ts'
import { runBench } from '../lib/bench/run.ts'

const usage = `Usage: npm run bench [-- --quick]

Measures Sluice's produce and read throughput, latency, storage floor and AWS
cost per GiB. Starts local engines unless AWS_ENDPOINT_URL is set.

  --quick   tiny volumes: a smoke run that finishes in seconds
  --help    this text`

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  console.log(usage)
  process.exit(0)
}

const progress = (line: string) => console.error(`bench: ${line}`)
progress('starting engines and creating tables…')
const environment = await openEnvironment().catch((error: Error) => {
  console.error(`bench: ${error.message}`)
  process.exit(1)
})
// Ctrl-C must not leave a JVM or a temporary directory behind.
process.once('SIGINT', () => {
  void environment.close().finally(() => process.exit(130))
})

let failed = false
try {
  const results = await runBench(benchPlan(values.quick ? 'quick' : 'full'), environment, progress)
  console.log(renderReport(results))
  console.log(`\n${renderMaintenanceReport(results.maintenance)}`)
  console.log(`\n${renderConsumerReport(results.consumers)}`)
  const path = await writeResultsJson(results, resolve('bench-results'))
  console.log(`\nJSON: ${path}`)
} catch (error) {
  failed = true
  console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
} finally {
  await environment.close()
}
process.exit(failed ? 1 : 0)
