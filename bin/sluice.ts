import { signalExitCode } from '../lib/cli/exit-codes.ts'
import { runCli } from '../lib/cli/program.ts'

const interrupt = new AbortController()
// The first signal lets the command clean up (flush, commit, leave the group); a second one ends it now.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupt.abort(signal)
    process.once(signal, () => process.exit(signalExitCode(signal)))
  })
}
// A reader that went away (`sluice consume ... | head`) is no error: the command
// sees it on its next write and ends cleanly (a group consumer commits and leaves).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
})

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: interrupt.signal,
})
