import { setTimeout as delay } from 'node:timers/promises'
import { describe, expect, it, onTestFinished } from 'vitest'
import { uniqueName } from '../client/support.ts'
import { cliAgainstTestServer, lines, type RunningSluice, startSluice } from './support.ts'

const { sluice, url } = cliAgainstTestServer()
/** Starts a consumer that the test's end stops if it is still running, so the server can close. */
function running(args: readonly string[]): RunningSluice {
  const consumer = startSluice(args, { ...process.env, SLUICE_URL: url() })
  onTestFinished(() => {
    if (consumer.child.exitCode === null && consumer.child.signalCode === null) {
      consumer.child.kill('SIGKILL')
    }
  })
  return consumer
}

async function topicWith(partitions: number): Promise<string> {
  const topic = uniqueName('consume')
  const created = await sluice(['topics', 'create', topic, '--partitions', String(partitions)])
  expect(created.code, created.stderr).toBe(0)
  return topic
}

/** Produces one record per line; `key:value` lines with `keyed`. */
async function produce(topic: string, input: string, keyed = false): Promise<void> {
  const produced = await sluice(
    ['produce', topic, ...(keyed ? ['--key-separator', ':'] : [])],
    input,
  )
  expect(produced.code, produced.stderr).toBe(0)
}

/** Resolves once the process printed `count` lines; bounded. */
async function printed(consumer: RunningSluice, count: number): Promise<string[]> {
  for (let i = 0; i < 300; i++) {
    if (lines(consumer.stdout()).length >= count) return lines(consumer.stdout())
    await delay(100)
  }
  throw new Error(`expected ${count} lines; got: ${consumer.stdout()}\n${consumer.stderr()}`)
}

describe('a group consumer whose reader goes away (| head)', () => {
  it('commits what it printed, leaves the group and exits 0', async () => {
    const topic = await topicWith(2)
    const group = uniqueName('head')
    // One key, so one partition holds every record and the other stays empty. Records
    // of 1 KiB, so they fill the pipe long before the last one is written.
    const value = 'v'.repeat(1024)
    await produce(topic, Array.from({ length: 400 }, (_, i) => `k:${i}-${value}`).join('\n'), true)

    const consumer = running(['consume', topic, '--group', group, '--from-beginning'])
    const [first, second, third] = await printed(consumer, 3)
    expect([first, second, third].map((line) => line?.split('-')[0])).toEqual(['0', '1', '2'])
    consumer.child.stdout.destroy()
    // A closed pipe shows only on the next write, as for kafka-console-consumer. When this
    // side had already drained every line, that write is of the record produced now.
    await produce(topic, `k:400-${value}`, true)
    expect((await consumer.exited).code, consumer.stderr()).toBe(0)

    const described = await sluice(['groups', 'describe', group])
    expect(described.code, described.stderr).toBe(0)
    const { state, members, partitions } = JSON.parse(described.stdout)
    expect({ state, members }).toEqual({ state: 'EMPTY', members: [] })
    const [held, empty] = [...partitions].sort(
      (a: { logEndOffset: number }, b: { logEndOffset: number }) => b.logEndOffset - a.logEndOffset,
    )
    // At least the lines read here were committed; lines the pipe never delivered were not printed.
    expect(held.currentOffset).toBeGreaterThanOrEqual(3)
    expect(held.currentOffset).toBeLessThanOrEqual(400)
    expect(held).toMatchObject({ logEndOffset: 401, lag: 401 - held.currentOffset })
    // The partition with nothing committed is shown too, as kafka-consumer-groups does.
    expect(empty).toMatchObject({ topic, currentOffset: null, logEndOffset: 0, lag: 0 })

    const table = await sluice(['groups', 'describe', group, '-o', 'table'])
    expect(table.stdout).toMatch(
      new RegExp(`${group}\\s+${topic}\\s+${empty.partition}\\s+-\\s+0\\s+0\\s+-\\s+-`),
    )

    // The next member carries on from the first record not printed.
    const rest = await sluice(['consume', topic, '--group', group, '--max', '1'])
    expect(rest.code, rest.stderr).toBe(0)
    expect(rest.stdout.split('-')[0]).toBe(String(held.currentOffset))
  }, 60_000)
})

describe('without --to-end, as kafka-console-consumer', () => {
  it('waits at the end for new records, and exits 143 on SIGTERM', async () => {
    const topic = await topicWith(1)
    await produce(topic, 'old\n')
    const consumer = running(['consume', topic])
    // It starts at the end once it has read the partition; records produced before may be missed.
    for (let i = 0; i < 20 && lines(consumer.stdout()).length === 0; i++) {
      await produce(topic, `new-${i}\n`)
      await delay(500)
    }
    const [line] = await printed(consumer, 1)
    expect(line).toMatch(/^new-\d+$/)
    consumer.child.kill('SIGTERM')
    expect((await consumer.exited).code).toBe(143)
  }, 60_000)

  it('prints everything with --from-beginning and waits on; Ctrl-C exits 130', async () => {
    const topic = await topicWith(1)
    await produce(topic, 'a\nb\n')
    const consumer = running(['consume', topic, '--from-beginning'])
    expect(await printed(consumer, 2)).toEqual(['a', 'b'])
    await produce(topic, 'c\n')
    expect(await printed(consumer, 3)).toEqual(['a', 'b', 'c'])
    consumer.child.kill('SIGINT')
    expect((await consumer.exited).code).toBe(130)
  }, 60_000)

  it('stops at the end with --to-end, and after --timeout-ms without records', async () => {
    const topic = await topicWith(2)
    await produce(topic, 'x:1\ny:2\nz:3\n', true)
    const toEnd = await sluice(['consume', topic, '--from-beginning', '--to-end'])
    expect(toEnd.code, toEnd.stderr).toBe(0)
    expect(lines(toEnd.stdout).sort()).toEqual(['1', '2', '3'])
    const idle = await sluice(['consume', topic, '--from-beginning', '--timeout-ms', '1500'])
    expect(idle.code, idle.stderr).toBe(0)
    expect(lines(idle.stdout).sort()).toEqual(['1', '2', '3'])
  }, 60_000)
})
