import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Sluice } from '../../../lib/client/sluice.ts'
import { type ServedApp, serveApp, shortSessions, uniqueName } from './support.ts'

const MEMBER = fileURLToPath(new URL('./fixtures/group-member.ts', import.meta.url))
const PARTITIONS = 6
const RECORDS = 300

let served: ServedApp
const members: ChildProcess[] = []

beforeAll(async () => {
  served = await serveApp({ groups: shortSessions(1500) })
})

afterAll(async () => {
  for (const member of members) member.kill('SIGKILL')
  await served?.close()
})

/** A member process; `seen` gathers the `partition:offset` lines it prints. */
function startMember(topic: string, group: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', MEMBER, served.url, topic, group], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  members.push(child)
  const seen: string[] = []
  let errors = ''
  let partial = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() ?? ''
    seen.push(...lines)
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk
  })
  return { child, seen, errors: () => errors }
}

async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

it('processes every record at least once while a member of three is killed midway', async () => {
  const sluice = new Sluice({ url: served.url })
  const topic = uniqueName('group-topic')
  const group = uniqueName('group')
  await sluice.admin().createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] })
  const producer = sluice.producer({ lingerMs: 20 })
  const reports = await producer.send({
    topic,
    messages: Array.from({ length: RECORDS }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
  })
  await producer.disconnect()
  const produced = new Set(reports.map((r) => `${r.partition}:${r.offset}`))
  expect(produced.size).toBe(RECORDS)
  expect(new Set(reports.map((r) => r.partition)).size).toBe(PARTITIONS)

  const [victim, ...survivors] = [1, 2, 3].map(() => startMember(topic, group))
  if (!victim) throw new Error('no members')
  await until(() => victim.seen.length >= 20, 'the first member processed 20 records')
  victim.child.kill('SIGKILL')
  await once(victim.child, 'exit')
  const processedByVictim = victim.seen.length

  const everything = () => [victim, ...survivors].flatMap((member) => member.seen)
  await until(
    () => [...produced].every((record) => everything().includes(record)),
    'every record was processed',
  )
  // A record processed by a member that lost its partition before committing is read again
  // by the new owner, so committing everything can take a moment longer than processing it.
  await until(async () => {
    const lags = await sluice.admin().fetchGroupLags(group)
    return lags.length === PARTITIONS && lags.every((lag) => lag.lag === 0)
  }, 'the group committed every record')
  for (const member of survivors) {
    member.child.kill('SIGTERM')
    const [code] = await once(member.child, 'exit')
    expect(code, member.errors()).toBe(0)
  }

  expect(processedByVictim).toBeGreaterThanOrEqual(20)
  expect(processedByVictim).toBeLessThan(RECORDS)
  expect(survivors.every((member) => member.seen.length > 0)).toBe(true)
  expect(new Set(everything())).toEqual(produced)
}, 60_000)
