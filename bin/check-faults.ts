/**
 * `npm run check:faults`: many producers and consumers through injected
 * faults on local engines (or AWS_ENDPOINT_URL's), then the checker's verdict.
 * `--quick` is a short run; `--no-idempotence` shows what at-least-once does;
 * `--kills N` SIGKILLs the server process N times (default 20, 2 with --quick).
 */
import { parseArgs } from 'node:util'
import { renderFaultCheck } from '../lib/check/check-report.ts'
import { runFaultCheck } from '../lib/check/fault-check.ts'
import { DEFAULT_FAULT_RATES } from '../lib/check/rates.ts'
import { openScratchEnvironment } from '../lib/local/scratch-environment.ts'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-idempotence': { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    kills: { type: 'string' },
  },
})
const environment = await openScratchEnvironment()
try {
  const run = await runFaultCheck({
    ...environment,
    producers: 16,
    recordsPerProducer: values.quick ? 500 : 6_400,
    outstandingSends: 64,
    consumers: 4,
    partitions: 4,
    rates: DEFAULT_FAULT_RATES,
    seed: Number(values.seed),
    idempotent: !values['no-idempotence'],
    maintenance: true,
    serverKills: Number(values.kills ?? (values.quick ? 2 : 20)),
    progress: (line) => console.error(`check: ${line}`),
  })
  console.log(renderFaultCheck(run))
  process.exitCode = run.report.anomalies.length === 0 ? 0 : 1
} finally {
  await environment.close()
}
