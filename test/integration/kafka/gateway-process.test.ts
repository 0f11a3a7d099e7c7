import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import getPort from 'get-port'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ApiKeys } from '../../../lib/auth/api-keys.ts'
import { bundleKafkaGateway } from '../../../lib/infra/kafka-gateway-bundle.ts'
import { localFunctionEnvironment } from '../../../lib/infra/local-lambda.ts'
import { API_KEYS } from '../../../lib/kafka/protocol/apis.ts'
import { ErrorCode } from '../../../lib/kafka/protocol/error-codes.ts'
import type { ApiVersionsResponse } from '../../../lib/kafka/protocol/messages/api-versions-response.ts'
import type { MetadataResponse } from '../../../lib/kafka/protocol/messages/metadata-response.ts'
import type { SaslAuthenticateResponse } from '../../../lib/kafka/protocol/messages/sasl-authenticate-response.ts'
import type { SaslHandshakeResponse } from '../../../lib/kafka/protocol/messages/sasl-handshake-response.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { createTestStorage, type TestStorage } from '../../support/storage.ts'
import { WireClient } from '../../support/wire-client.ts'
import { issueApiKey, METADATA_ALL_TOPICS } from './support.ts'

const outdir = mkdtempSync(join(tmpdir(), 'sluice-kafka-gateway-'))
const bundle = join(outdir, 'kafka-gateway.mjs')
let storage: TestStorage
const running = new Set<ChildProcess>()

beforeAll(async () => {
  storage = await createTestStorage()
  await bundleKafkaGateway(bundle)
}, 60_000)

afterAll(() => {
  for (const child of running) child.kill('SIGKILL')
  rmSync(outdir, { recursive: true, force: true })
})

interface Started {
  readonly child: ChildProcess
  readonly bootstrap: string
  /** Every line the process wrote to standard output so far. */
  readonly lines: string[]
  readonly exited: Promise<number | null>
}

/** The AWS_* variables of this process, as a task's role and region reach its container. */
function awsEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[0].startsWith('AWS_') && entry[1] !== undefined,
    ),
  )
}

/** Runs the bundle, as the container does, with the environment the stack gives the task. */
async function startGateway(env: Record<string, string>): Promise<Started> {
  const engines = inject('engines')
  const port = await getPort()
  const child = spawn(process.execPath, ['--enable-source-maps', bundle], {
    env: {
      PATH: process.env.PATH,
      // The SDK's own settings (AWS_ENDPOINT_URL, credentials) when no local engines run.
      ...awsEnvironment(),
      ...localFunctionEnvironment({
        names: storage.names,
        clusterId: 'container',
        // Read by the HTTP API only; the gateway's own mode is SLUICE_KAFKA_AUTH.
        authMode: 'api-key',
        ...(engines && { engines }),
      }),
      SLUICE_KAFKA_PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  const exited = once(child, 'exit').then(([code]) => {
    running.delete(child)
    return code as number | null
  })
  const lines: string[] = []
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  const serving = new Promise<void>((resolve, reject) => {
    let buffered = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk
      const complete = buffered.split('\n')
      buffered = complete.pop() ?? ''
      lines.push(...complete)
      if (complete.some((line) => line.includes('Serving Kafka clients'))) resolve()
    })
    exited.then((code) => reject(new Error(`exited with ${code} before serving: ${stderr}`)))
  })
  await serving
  return { child, bootstrap: `127.0.0.1:${port}`, lines, exited }
}

describe('the Kafka gateway bundle, run as the container runs it', () => {
  it('serves SASL/PLAIN clients, advertises the load balancer, and drains on SIGTERM', async () => {
    const gateway = await startGateway({
      SLUICE_KAFKA_AUTH: 'sasl-plain',
      SLUICE_KAFKA_ADVERTISED_HOST: 'kafka.example.com',
      SLUICE_KAFKA_ADVERTISED_PORT: '9094',
    })
    const { keyId, apiKey } = await issueApiKey(
      new ApiKeys(awsStorage(storage.clients, storage.names).apiKeys),
    )
    const client = await WireClient.connect(gateway.bootstrap)
    const versions = await client.send<ApiVersionsResponse>(API_KEYS.ApiVersions, 3, {
      clientSoftwareName: 'wire-test',
      clientSoftwareVersion: '1',
    })
    expect(versions.errorCode).toBe(ErrorCode.NONE)
    expect(versions.apiKeys.map((api) => api.apiKey)).toContain(API_KEYS.Metadata)
    const handshake = await client.send<SaslHandshakeResponse>(API_KEYS.SaslHandshake, 1, {
      mechanism: 'PLAIN',
    })
    expect(handshake.errorCode).toBe(ErrorCode.NONE)
    const authenticated = await client.send<SaslAuthenticateResponse>(
      API_KEYS.SaslAuthenticate,
      1,
      { authBytes: Buffer.from(`\0${keyId}\0${apiKey}`) },
    )
    expect(authenticated.errorCode).toBe(ErrorCode.NONE)
    const metadata = await client.send<MetadataResponse>(API_KEYS.Metadata, 4, METADATA_ALL_TOPICS)
    expect(metadata.brokers).toEqual([
      { nodeId: 1, host: 'kafka.example.com', port: 9094, rack: null },
    ])
    expect(metadata.clusterId).toBe('container')

    gateway.child.kill('SIGTERM')
    // The open connection is ended by the gateway, not left for the kill to reset.
    await client.closed
    expect(await gateway.exited).toBe(0)
    const messages = gateway.lines.map((line) => JSON.parse(line).message)
    expect(messages).toEqual(expect.arrayContaining(['Draining connections', 'Stopped']))
    expect(messages).not.toContain('Closing connections that did not drain in time')
  })

  it('refuses to start without an explicit auth mode or advertised host', async () => {
    for (const missing of ['SLUICE_KAFKA_AUTH', 'SLUICE_KAFKA_ADVERTISED_HOST']) {
      const env: Record<string, string> = {
        SLUICE_KAFKA_AUTH: 'sasl-plain',
        SLUICE_KAFKA_ADVERTISED_HOST: 'kafka.example.com',
      }
      delete env[missing]
      await expect(startGateway(env)).rejects.toThrow(`${missing} must be set`)
    }
  })
})
