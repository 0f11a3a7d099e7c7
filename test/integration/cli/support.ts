import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll } from 'vitest'
import type { DevServer } from '../../../lib/local/dev-server.ts'
import { startTestDevServer } from '../client/support.ts'

const SLUICE = fileURLToPath(new URL('../../../bin/sluice.ts', import.meta.url))

/** The command line that runs `sluice`, as npm's scripts do. */
export const SLUICE_COMMAND = [process.execPath, '--import', 'tsx', SLUICE] as const

export interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the `sluice` command line in a process of its own, as a shell would, with `input` on stdin. */
export async function runSluice(
  url: string,
  args: readonly string[],
  input = '',
  env: NodeJS.ProcessEnv = {},
): Promise<Run> {
  const running = startSluice(args, { ...process.env, SLUICE_URL: url, ...env })
  running.child.stdin.end(input)
  const { code } = await running.exited
  return { code, stdout: running.stdout(), stderr: running.stderr() }
}

/**
 * The dev server for one test file, started before its tests and closed after
 * them; `sluice` runs the command line against it.
 */
export function cliAgainstTestServer() {
  let server: DevServer | undefined
  beforeAll(async () => {
    server = await startTestDevServer()
  })
  afterAll(async () => {
    await server?.close()
  })
  const url = () => {
    if (!server) throw new Error('The test server is not started yet.')
    return server.url
  }
  return {
    url,
    sluice: (args: readonly string[], input?: string) => runSluice(url(), args, input),
  }
}

/** The lines of a command's output, without the final newline's empty one. */
export function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n')
}

/** A `sluice` process left running, its output collected as it comes. */
export interface RunningSluice {
  readonly child: ChildProcessWithoutNullStreams
  readonly stdout: () => string
  readonly stderr: () => string
  /** Resolves once stderr matches, or fails after `timeoutMs` or when the process ends first. */
  stderrMatching(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  /** Its exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Starts `sluice` with these arguments and environment, not waiting for it to end. */
export function startSluice(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): RunningSluice {
  const child = spawn(SLUICE_COMMAND[0], [...SLUICE_COMMAND.slice(1), ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  return watch(child)
}

/** Collects the output of a spawned process and tells when it exits. */
export function watch(child: ChildProcessWithoutNullStreams): RunningSluice {
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.once('error', reject)
      child.once('close', (code, signal) => resolve({ code, signal }))
    },
  )
  let ended = false
  void exited.finally(() => {
    ended = true
  })
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async stderrMatching(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const match = stderr.match(pattern)
        if (match) return match
        if (ended || Date.now() > deadline) {
          throw new Error(`stderr never matched ${pattern}; it holds:\n${stderr}`)
        }
        await delay(50)
      }
    },
  }
}
