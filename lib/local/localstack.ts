import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import getPort from 'get-port'
import { supervise, waitUntilReady } from './child-process.ts'
import { installLocalStack } from './localstack-install.ts'

export interface LocalStackOptions {
  /** Where LocalStack and DynamoDB Local are installed; defaults to `.sluice/engines`. */
  readonly cacheDir?: string
  readonly startTimeoutMs?: number
}

export interface LocalStack {
  /** One endpoint for every service: what AWS_ENDPOINT_URL names. */
  readonly endpoint: string
  stop(): Promise<void>
}

/**
 * Starts LocalStack's S3 and DynamoDB on a free port of 127.0.0.1, state in
 * memory, and resolves once both serve requests. Its files live in a
 * temporary folder of their own, so runs never meet.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const installation = await installLocalStack(options.cacheDir)
  const root = await mkdtemp(join(tmpdir(), 'sluice-localstack-'))
  const removeRoot = () => rm(root, { recursive: true, force: true })
  try {
    // LocalStack's file system layout under FILESYSTEM_ROOT, its installed parts linked in.
    await Promise.all([
      mkdir(join(root, 'var', 'lib', 'localstack'), { recursive: true }),
      mkdir(join(root, 'usr', 'lib'), { recursive: true }),
    ])
    await Promise.all([
      symlink(installation.varLibs, join(root, 'var', 'lib', 'localstack', 'lib')),
      symlink(installation.staticLibs, join(root, 'usr', 'lib', 'localstack')),
    ])
  } catch (error) {
    await removeRoot()
    throw error
  }

  const port = await getPort({ host: '127.0.0.1' })
  const endpoint = `http://127.0.0.1:${port}`
  const child = supervise(
    spawn(installation.python, ['-m', 'localstack.runtime.main'], {
      env: {
        ...process.env,
        FILESYSTEM_ROOT: root,
        // Not in a container, whatever it guesses from this machine.
        OVERRIDE_IN_DOCKER: '0',
        GATEWAY_LISTEN: `127.0.0.1:${port}`,
        SERVICES: 's3,dynamodb',
        EAGER_SERVICE_LOADING: '1',
        DYNAMODB_IN_MEMORY: '1',
        // Everything it would fetch or report over the network, which this machine does not reach.
        LOCALSTACK_TELEMETRY_DISABLED: '1',
        DISABLE_EVENTS: '1',
        SKIP_SSL_CERT_DOWNLOAD: '1',
        DNS_ADDRESS: '0',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
      // It runs DynamoDB Local as a JVM of its own, which must stop with it.
      detached: true,
    }),
    { processGroup: true },
  )
  const stop = async () => {
    await child.stop()
    await removeRoot()
  }
  try {
    await waitUntilReady(child, {
      name: 'LocalStack',
      endpoint,
      timeoutMs: options.startTimeoutMs ?? 120_000,
      ready: () => servesStorage(endpoint),
    })
  } catch (error) {
    await stop()
    throw error
  }
  return { endpoint, stop }
}

/** True once LocalStack has finished starting and both services are up. */
async function servesStorage(endpoint: string): Promise<boolean> {
  try {
    const ready = await getJson(`${endpoint}/_localstack/init/ready`)
    if (ready.completed !== true) return false
    const { services } = await getJson(`${endpoint}/_localstack/health`)
    const running = (service: string) =>
      ['running', 'available'].includes((services as Record<string, string>)?.[service] ?? '')
    return running('s3') && running('dynamodb')
  } catch {
    return false
  }
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) })
  if (!response.ok) throw new Error(`${url} answered ${response.status}`)
  return (await response.json()) as Record<string, unknown>
}
