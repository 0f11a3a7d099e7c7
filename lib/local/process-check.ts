import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'

/** Whether a process with this id exists (one of another user counts). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The command line a process runs, or undefined once it is gone: from /proc where there is one, else ps. */
export async function commandLineOf(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim()
  } catch {
    try {
      const { stdout } = await promisify(execFile)('ps', ['-o', 'command=', '-p', String(pid)])
      return stdout.trim() || undefined
    } catch {
      return undefined
    }
  }
}

/** Whether `command` runs and exits 0: a tool that is there and answers as asked. */
export async function commandSucceeds(command: string, args: readonly string[]): Promise<boolean> {
  return promisify(execFile)(command, args).then(
    () => true,
    () => false,
  )
}

const pollMs = 100

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function terminate(pid: number, graceMs: number): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name)
    } catch {
      // Gone already.
    }
  }
  signal('SIGTERM')
  const deadline = Date.now() + graceMs
  while (isRunning(pid) && Date.now() < deadline) await delay(pollMs)
  if (!isRunning(pid)) return
  signal('SIGKILL')
  // The kernel reaps a killed process at once; bounded all the same.
  for (let i = 0; i < 50 && isRunning(pid); i++) await delay(pollMs)
}
