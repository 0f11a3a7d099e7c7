import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gunzipSync } from 'node:zlib'
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { ApiKeys } from '../../../lib/auth/api-keys.ts'
import type { AuthMode } from '../../../lib/auth/auth-mode.ts'
import { CONSOLE_BUNDLE } from '../../../lib/console/bundle.generated.ts'
import { synthesizeApiBundle } from '../../../lib/infra/api-bundle.ts'
import {
  functionUrlEvent,
  type HttpRequest,
  httpApiEvent,
  localContext,
  localFunctionEnvironment,
} from '../../../lib/infra/local-lambda.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>

const CLUSTER = 'bundle'
const C = `/v3/clusters/${CLUSTER}`
const outdir = mkdtempSync(join(tmpdir(), 'sluice-bundle-'))
let storage: TestStorage
let bundle: string
const savedEnv = { ...process.env }
/** What the handler writes to standard output: Powertools' EMF documents and JSON logs. */
const stdout: string[] = []

/**
 * Loads the bundle as Lambda would, with the environment the stack sets. The
 * handler reads its configuration once, at import, so each auth mode gets a
 * module instance of its own.
 */
async function loadHandler(authMode: AuthMode): Promise<Handler> {
  const engines = inject('engines')
  Object.assign(
    process.env,
    localFunctionEnvironment({
      names: storage.names,
      clusterId: CLUSTER,
      authMode,
      ...(engines && { engines }),
    }),
  )
  const module = (await import(`${pathToFileURL(bundle).href}?mode=${authMode}`)) as {
    handler: Handler
  }
  return module.handler
}

function json(response: APIGatewayProxyStructuredResultV2) {
  return JSON.parse(response.body ?? '')
}

beforeAll(async () => {
  storage = await createTestStorage()
  bundle = synthesizeApiBundle(outdir)
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk))
    return true
  })
}, 120_000)

afterAll(() => {
  vi.restoreAllMocks()
  process.env = savedEnv
  rmSync(outdir, { recursive: true, force: true })
})

describe('the API bundle from cdk.out', () => {
  it('bundles no development-only module', async () => {
    // The import graph of the handler, resolved as the bundle resolves it.
    const { metafile } = await build({
      entryPoints: [fileURLToPath(new URL('../../../functions/api.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      mainFields: ['module', 'main'],
      metafile: true,
      write: false,
      logLevel: 'silent',
    })
    const inputs = Object.keys(metafile.inputs)
    expect(inputs).toContain('functions/api.ts')
    expect(inputs.filter((input) => input.startsWith('lib/local/'))).toEqual([])
    const devOnly =
      /node_modules\/(s3rver|get-port|tar|vitest|tsx|esbuild|aws-cdk-lib|aws-cdk|cdk-nag|constructs)\//
    expect(inputs.filter((input) => devOnly.test(input))).toEqual([])
  })

  it('is one self-contained ESM file of modest size', () => {
    expect(bundle).toMatch(/index\.mjs$/)
    // Measured at about 1.3 MB minified; the ceiling catches an accidental dev dependency.
    expect(statSync(bundle).size).toBeLessThan(2.5 * 1024 * 1024)
  })

  describe('in api-key mode', () => {
    let handler: Handler
    let authorization: string

    beforeAll(async () => {
      handler = await loadHandler('api-key')
      const keys = new ApiKeys(awsStorage(storage.clients, storage.names).apiKeys)
      authorization = `Bearer ${(await keys.issue('bundle test', Date.now())).apiKey}`
    })

    const send = (event: (request: HttpRequest) => APIGatewayProxyEventV2, request: HttpRequest) =>
      handler(
        event({
          ...request,
          headers: { authorization, 'content-type': 'application/json', ...request.headers },
        }),
        localContext(),
      )

    it('produces through an HTTP API event and reads back through a function URL event', async () => {
      const created = await send(httpApiEvent, {
        method: 'POST',
        path: `${C}/topics`,
        body: JSON.stringify({ topic_name: 'orders', partitions_count: 1 }),
      })
      expect(created.statusCode, created.body).toBe(201)

      const produced = await send(httpApiEvent, {
        method: 'POST',
        path: `${C}/topics/orders/records:batch`,
        body: JSON.stringify({
          entries: [
            { id: 'a', value: { type: 'JSON', data: { total: 1 } } },
            { id: 'b', value: { type: 'STRING', data: 'two' } },
          ],
        }),
      })
      expect(produced.statusCode, produced.body).toBe(207)
      expect(json(produced).successes.map((s: { offset: number }) => s.offset)).toEqual([0, 1])

      const produced2 = await send(functionUrlEvent, {
        method: 'POST',
        path: `${C}/topics/orders/records`,
        body: JSON.stringify({ value: { type: 'STRING', data: 'three' } }),
      })
      expect(produced2.statusCode, produced2.body).toBe(200)
      expect(json(produced2).offset).toBe(2)

      const read = await send(functionUrlEvent, {
        method: 'GET',
        path: `${C}/topics/orders/partitions/0/records?offset=0&max_records=10`,
      })
      expect(read.statusCode, read.body).toBe(200)
      expect(json(read).data.map((r: { value: { data: unknown } }) => r.value.data)).toEqual([
        { total: 1 },
        'two',
        'three',
      ])

      const readViaHttpApi = await send(httpApiEvent, {
        method: 'GET',
        path: `${C}/topics/orders/partitions/0/records?offset=2`,
      })
      expect(json(readViaHttpApi).data.map((r: { offset: number }) => r.offset)).toEqual([2])
    })

    it('serves the console to a browser without a key, its script gzipped', async () => {
      const page = await handler(
        functionUrlEvent({ method: 'GET', path: '/console', headers: { accept: 'text/html' } }),
        localContext(),
      )
      expect(page.statusCode).toBe(200)
      const script = /src="console\/(assets\/console-\w+\.js)"/.exec(page.body ?? '')?.[1]
      const asset = await handler(
        functionUrlEvent({
          method: 'GET',
          path: `/console/${script}`,
          headers: { 'accept-encoding': 'gzip' },
        }),
        localContext(),
      )
      expect(asset.statusCode).toBe(200)
      expect(asset.isBase64Encoded).toBe(true)
      const body = gunzipSync(Buffer.from(asset.body ?? '', 'base64')).toString()
      expect(body).toBe(CONSOLE_BUNDLE.script)
    })

    it('answers an anonymous request 401 with error code 40101 and writes nothing', async () => {
      for (const event of [httpApiEvent, functionUrlEvent]) {
        const response = await handler(
          event({
            method: 'POST',
            path: `${C}/topics`,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ topic_name: 'sneaky' }),
          }),
          localContext(),
        )
        expect(response.statusCode).toBe(401)
        expect(json(response)).toEqual({ error_code: 40101, message: expect.any(String) })
      }
      const topics = await send(functionUrlEvent, { method: 'GET', path: `${C}/topics` })
      expect(json(topics).data.map((t: { topic_name: string }) => t.topic_name)).not.toContain(
        'sneaky',
      )
    })

    it('publishes CloudWatch metrics in Embedded Metric Format', async () => {
      stdout.length = 0
      const produced = await send(functionUrlEvent, {
        method: 'POST',
        path: `${C}/topics/orders/records`,
        body: JSON.stringify({ value: { type: 'STRING', data: 'measured' } }),
      })
      expect(produced.statusCode, produced.body).toBe(200)
      const emf = stdout
        .flatMap((text) => text.split('\n'))
        .filter((line) => line.includes('"_aws"'))
        .map((line) => JSON.parse(line))
      expect(emf).toHaveLength(1)
      const [document] = emf
      expect(document._aws.CloudWatchMetrics[0].Namespace).toBe('Sluice')
      expect(document._aws.CloudWatchMetrics[0].Dimensions[0]).toEqual(
        expect.arrayContaining(['service', 'cluster']),
      )
      expect(document).toMatchObject({
        service: 'sluice-api',
        cluster: CLUSTER,
        RecordsProduced: 1,
        ProduceRequests: 1,
      })
      expect(document.ProduceLatency).toBeGreaterThan(0)
    })
  })

  describe('in iam mode', () => {
    let handler: Handler
    beforeAll(async () => {
      handler = await loadHandler('iam')
    })

    it('serves requests that carry the IAM identity AWS adds', async () => {
      const response = await handler(
        functionUrlEvent({ method: 'GET', path: `${C}/topics` }, { iam: true }),
        localContext(),
      )
      expect(response.statusCode, response.body).toBe(200)
      expect(json(response).kind).toBe('KafkaTopicList')
    })

    it('refuses a request without one, whatever the front sends', async () => {
      for (const event of [httpApiEvent, functionUrlEvent]) {
        const response = await handler(
          event({ method: 'GET', path: `${C}/topics` }),
          localContext(),
        )
        expect(response.statusCode).toBe(401)
        expect(json(response).error_code).toBe(40101)
      }
    })
  })
})
