import { expect, it } from 'vitest'
import { uniqueName } from '../client/support.ts'
import { cliAgainstTestServer, lines } from './support.ts'

const { sluice } = cliAgainstTestServer()

it('produces 10,000 keyed lines, reads them back, and a group that read them all has no lag', async () => {
  const topic = uniqueName('cli')
  const group = uniqueName('cli-group')
  const created = await sluice(['topics', 'create', topic, '--partitions', '3'])
  expect(created, created.stderr).toMatchObject({ code: 0, stdout: '' })

  const input = Array.from({ length: 10_000 }, (_, i) => `key-${i % 97}:value-${i}`)
  const produced = await sluice(['produce', topic, '--key-separator', ':'], `${input.join('\n')}\n`)
  expect(produced.code, produced.stderr).toBe(0)
  expect(produced.stdout).toBe('')
  expect(produced.stderr).toContain(`Produced 10000 record(s) to '${topic}'.`)

  const consumed = await sluice([
    'consume',
    topic,
    '--from-beginning',
    '--max',
    '10000',
    '--print-key',
    '--key-separator',
    ':',
  ])
  expect(consumed.code, consumed.stderr).toBe(0)
  const output = lines(consumed.stdout)
  expect([...output].sort()).toEqual([...input].sort())
  // A key's records keep their order: one key, one partition.
  const ofKey = (all: string[], key: string) => all.filter((line) => line.startsWith(`${key}:`))
  for (const key of ['key-0', 'key-42', 'key-96']) {
    expect(ofKey(output, key)).toEqual(ofKey(input, key))
  }

  const grouped = await sluice([
    'consume',
    topic,
    '--group',
    group,
    '--from-beginning',
    '--max',
    '10000',
    '-o',
    'json',
  ])
  expect(grouped.code, grouped.stderr).toBe(0)
  const records = lines(grouped.stdout).map((line) => JSON.parse(line))
  expect(records).toHaveLength(10_000)
  expect(new Set(records.map((r) => `${r.key}:${r.value}`))).toEqual(new Set(input))

  const described = await sluice(['groups', 'describe', group])
  expect(described.code, described.stderr).toBe(0)
  const description = JSON.parse(described.stdout)
  expect(description.state).toBe('EMPTY')
  expect(description.partitions).toHaveLength(3)
  for (const partition of description.partitions) {
    expect(partition).toMatchObject({ topic, lag: 0 })
    expect(partition.currentOffset).toBe(partition.logEndOffset)
  }
  const total = description.partitions.reduce(
    (sum: number, p: { logEndOffset: number }) => sum + p.logEndOffset,
    0,
  )
  expect(total).toBe(10_000)
}, 90_000)
