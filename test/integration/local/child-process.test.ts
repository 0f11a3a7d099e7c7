import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { setTimeout as delay } from 'node:timers/promises'
import { expect, it, onTestFinished } from 'vitest'
import { EngineStartError, supervise, waitUntilReady } from '../../../lib/local/child-process.ts'

/** A Node process running `script`, its stderr piped as engines have it. */
function node(script: string, options: { detached?: boolean } = {}) {
  return spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const check = { name: 'Engine', endpoint: 'http://127.0.0.1:1', timeoutMs: 5000 }

it('resolves once the child is ready', async () => {
  const child = supervise(node('setInterval(() => {}, 1000)'))
  let polls = 0
  await waitUntilReady(child, { ...check, ready: async () => ++polls === 3 })
  expect(polls).toBe(3)
  await child.stop()
})

it('fails at once, quoting its stderr, when the child exits before it is ready', async () => {
  const child = supervise(node('console.error("no port for me"); process.exit(3)'))
  const started = Date.now()
  const error = await waitUntilReady(child, { ...check, ready: async () => false }).catch(
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(EngineStartError)
  expect((error as Error).message).toMatch(/^Engine exited \(code 3\) before answering/)
  expect((error as Error).message).toContain('no port for me')
  expect(Date.now() - started).toBeLessThan(check.timeoutMs)
})

it('gives up when the time is up', async () => {
  const child = supervise(node('setInterval(() => {}, 1000)'))
  const waiting = waitUntilReady(child, { ...check, timeoutMs: 300, ready: async () => false })
  await expect(waiting).rejects.toThrow(/did not answer on http:\/\/127.0.0.1:1 within 300 ms/)
  await child.stop()
})

it('stops the processes a child started when it leads a process group', async () => {
  // The child starts a grandchild of its own, as LocalStack starts DynamoDB Local.
  const spawned = node(
    `const { spawn } = require('node:child_process')
     const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
     console.log(grandchild.pid)
     setInterval(() => {}, 1000)`,
    { detached: true },
  )
  const child = supervise(spawned, { processGroup: true })
  const [line] = (await once(spawned.stdout, 'data')) as [Buffer]
  const grandchild = Number(line.toString().trim())
  onTestFinished(() => {
    if (alive(grandchild)) process.kill(grandchild, 'SIGKILL')
  })
  expect(alive(grandchild)).toBe(true)

  await child.stop()
  // The grandchild is gone too, soon after the signal reached its group.
  const deadline = Date.now() + 5000
  while (alive(grandchild) && Date.now() < deadline) await delay(50)
  expect(alive(grandchild)).toBe(false)
})
