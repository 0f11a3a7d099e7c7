import { execFile, spawn } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import getPort from 'get-port'
import { localCredentials, localRegion } from '../storage/aws/clients.ts'
import { stopGraceMs, supervise, waitUntilReady } from './child-process.ts'
import {
  dynamoDBLocalJar,
  dynamoDBLocalLibraryDir,
  installDynamoDBLocal,
} from './dynamodb-local-install.ts'
import { commandLineOf, terminate } from './process-check.ts'

export class JavaNotFoundError extends Error {
  override name = 'JavaNotFoundError'
}

export interface DynamoDBLocalOptions {
  /** Directory for the database file; without it the data lives in memory only. */
  readonly dbPath?: string
  /** The Java launcher, for a JDK that is not on PATH. */
  readonly javaCommand?: string
  /** Where the emulator is unpacked; defaults to `.sluice/engines` in the project. */
  readonly cacheDir?: string
  /**
   * Holds the JVM's process id while it runs. A JVM left behind by a process
   * that was killed before it could stop it is stopped before a new one
   * starts, so one database never has two.
   */
  readonly pidFile?: string
  readonly startTimeoutMs?: number
}

export interface DynamoDBLocal {
  readonly endpoint: string
  stop(): Promise<void>
}

/** Starts DynamoDB Local on a free port of 127.0.0.1 and resolves once it answers requests. */
export async function startDynamoDBLocal(
  options: DynamoDBLocalOptions = {},
): Promise<DynamoDBLocal> {
  const java = options.javaCommand ?? 'java'
  // Before the download, so a machine without Java fails fast and fetches nothing.
  await checkJava(java)
  const emulatorDir = await installDynamoDBLocal(options.cacheDir)
  if (options.dbPath !== undefined) await mkdir(options.dbPath, { recursive: true })

  if (options.pidFile !== undefined) await stopLeftBehind(options.pidFile, options.dbPath)

  const port = await getPort({ host: '127.0.0.1' })
  const child = supervise(
    spawn(
      java,
      [
        `-Djava.library.path=${join(emulatorDir, dynamoDBLocalLibraryDir)}`,
        '-jar',
        join(emulatorDir, dynamoDBLocalJar),
        '-port',
        String(port),
        // One database whatever credentials and region a client signs with, so
        // every tool pointed at the endpoint sees the same tables.
        '-sharedDb',
        // It would otherwise phone home, which this machine's network does not allow.
        '-disableTelemetry',
        ...(options.dbPath === undefined ? ['-inMemory'] : ['-dbPath', options.dbPath]),
      ],
      // It writes a metadata file into its working directory; keep that beside the jar.
      { cwd: emulatorDir, stdio: ['ignore', 'ignore', 'pipe'] },
    ),
  )
  const endpoint = `http://127.0.0.1:${port}`
  const { pidFile } = options
  const stop = async () => {
    await child.stop()
    if (pidFile !== undefined) await rm(pidFile, { force: true })
  }
  const client = new DynamoDBClient({
    endpoint,
    region: localRegion,
    credentials: localCredentials,
    maxAttempts: 1,
    // No request timeout: a JVM still starting answers slowly, and its first answer
    // may take seconds on a busy machine. The start deadline bounds each request.
    requestHandler: { connectionTimeout: 1000 },
  })
  try {
    if (pidFile !== undefined && child.pid !== undefined) {
      await writeFile(pidFile, `${child.pid}\n`)
    }
    await waitUntilReady(child, {
      name: 'DynamoDB Local',
      endpoint,
      timeoutMs: options.startTimeoutMs ?? 30_000,
      ready: (deadline) =>
        client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: deadline }).then(
          () => true,
          () => false,
        ),
    })
  } catch (error) {
    await stop()
    throw error
  } finally {
    client.destroy()
  }
  return { endpoint, stop }
}

/** Stops the JVM a pid file names if it is still DynamoDB Local on this database, not a process that took its id since. */
async function stopLeftBehind(pidFile: string, dbPath: string | undefined): Promise<void> {
  const pid = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10)
  if (!Number.isInteger(pid)) return
  const command = await commandLineOf(pid)
  if (command?.includes(dynamoDBLocalJar) && (dbPath === undefined || command.includes(dbPath))) {
    await terminate(pid, stopGraceMs)
  }
  await rm(pidFile, { force: true })
}

async function checkJava(java: string): Promise<void> {
  try {
    await promisify(execFile)(java, ['-version'])
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw javaNotFound(java)
    throw error
  }
}

function javaNotFound(java: string): JavaNotFoundError {
  return new JavaNotFoundError(
    `Java 17+ is needed to run DynamoDB Local and \`${java}\` was not found: install it ` +
      '(e.g. `apt-get install openjdk-17-jre-headless`) or set AWS_ENDPOINT_URL to point ' +
      'Sluice at LocalStack or AWS instead.',
  )
}
