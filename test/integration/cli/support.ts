import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SLUICE = fileURLToPath(new URL('../../../bin/sluice.ts', import.meta.url))

export interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the `sluice` command line in a process of its own, as a shell would, with `input` on stdin. */
export function runSluice(url: string, args: readonly string[], input = ''): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', SLUICE, ...args], {
    env: { ...process.env, SLUICE_URL: url },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  child.stdin.end(input)
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** The lines of a command's output, without the final newline's empty one. */
export function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n')
}
