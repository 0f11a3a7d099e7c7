/**
 * Measures the API bundle's cold start on this machine: each run is a fresh
 * Node process that imports the bundle `cdk deploy` would upload and serves one
 * produce request (a Function URL event) against the local engines.
 *
 *   npm run cold-start [-- runs]
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { createBroker } from '../lib/broker/broker.ts'
import { synthesizeApiBundle } from '../lib/infra/api-bundle.ts'
import {
  functionUrlEvent,
  localContext,
  localFunctionEnvironment,
} from '../lib/infra/local-lambda.ts'
import { bootstrapStorage } from '../lib/local/bootstrap.ts'
import { startLocalEngines } from '../lib/local/engines.ts'
import { createAwsClients } from '../lib/storage/aws/clients.ts'
import { awsStorage } from '../lib/storage/aws/storage-engine.ts'
import { storageNamesForPrefix } from '../lib/storage/tables.ts'

const runs = Number(process.argv[2] ?? 5)
const CLUSTER = 'cold'
const MARK = 'SLUICE_COLD_START '

// Runs in the fresh process: time the import, then one invocation.
const child = `
const started = performance.now()
const { handler } = await import(process.env.BUNDLE_URL)
const imported = performance.now()
const response = await handler(JSON.parse(process.env.EVENT), JSON.parse(process.env.CONTEXT))
const served = performance.now()
process.stderr.write('${MARK}' + JSON.stringify({ status: response.statusCode, importMs: imported - started, requestMs: served - imported }) + '\\n')
`

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

const workDir = await mkdtemp(join(tmpdir(), 'sluice-cold-start-'))
const engines = await startLocalEngines({ dataDir: workDir, inMemory: true })
try {
  process.env.CDK_VALIDATION = 'false'
  const bundle = synthesizeApiBundle(join(workDir, 'cdk.out'))
  const names = storageNamesForPrefix(`cold-${randomBytes(4).toString('hex')}`)
  const clients = createAwsClients(engines)
  await bootstrapStorage(clients, names)
  await createBroker(awsStorage(clients, names)).topics.create({
    name: 'orders',
    partitionsCount: 1,
  })

  const env = {
    ...process.env,
    ...localFunctionEnvironment({ names, clusterId: CLUSTER, authMode: 'iam', engines }),
    BUNDLE_URL: pathToFileURL(bundle).href,
    CONTEXT: JSON.stringify(localContext()),
    NODE_NO_WARNINGS: '1',
  }
  const results: { importMs: number; requestMs: number; processMs: number }[] = []
  for (let run = 0; run < runs; run++) {
    const event = functionUrlEvent(
      {
        method: 'POST',
        path: `/v3/clusters/${CLUSTER}/topics/orders/records`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value: { type: 'STRING', data: `cold start ${run}` } }),
      },
      { iam: true },
    )
    const started = performance.now()
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '--eval', child],
      { env: { ...env, EVENT: JSON.stringify(event) } },
    )
    const processMs = performance.now() - started
    const line = stderr.split('\n').find((text) => text.startsWith(MARK))
    if (!line) throw new Error(`The child reported nothing:\n${stderr}`)
    const result = JSON.parse(line.slice(MARK.length))
    if (result.status !== 200) throw new Error(`The request failed with ${result.status}`)
    results.push({ importMs: result.importMs, requestMs: result.requestMs, processMs })
  }
  const { size } = await stat(bundle)
  console.log(
    JSON.stringify(
      {
        bundleBytes: size,
        runs,
        medianImportMs: Math.round(median(results.map((r) => r.importMs))),
        medianFirstRequestMs: Math.round(median(results.map((r) => r.requestMs))),
        medianProcessMs: Math.round(median(results.map((r) => r.processMs))),
        node: process.version,
      },
      null,
      2,
    ),
  )
} finally {
  await engines.stop()
  await rm(workDir, { recursive: true, force: true })
}
