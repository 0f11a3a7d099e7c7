import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../lib/cli/program.ts'
import type { DevServer } from '../../../lib/local/dev-server.ts'
import { startTestDevServer, uniqueName } from '../client/support.ts'
import { lines } from './support.ts'

let server: DevServer
let dir: string

beforeAll(async () => {
  server = await startTestDevServer()
  dir = await mkdtemp(join(tmpdir(), 'sluice-cli-'))
})

afterAll(async () => {
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

function collected(tty: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY: tty })
  let text = ''
  stream.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk
  })
  return {
    stream,
    /** Everything written, once the stream has delivered it. */
    async text() {
      stream.end()
      await finished(stream)
      return text
    },
  }
}

/** The CLI in this process, its streams captured; `tty` makes stdout a terminal. */
async function sluice(args: readonly string[], options: { input?: string; tty?: boolean } = {}) {
  const stdout = collected(options.tty ?? false)
  const stderr = collected(false)
  const code = await runCli(['--url', server.url, ...args], {
    stdin: Readable.from([options.input ?? '']),
    stdout: stdout.stream,
    stderr: stderr.stream,
    signal: new AbortController().signal,
  })
  return { code, stdout: await stdout.text(), stderr: await stderr.text() }
}

/** Everything in the topic, read to its end, with values in this format. */
const readAll = (topic: string, format: string) =>
  sluice(['consume', topic, '--from-beginning', '--to-end', '--format', format])

async function topicWith(partitions = 1): Promise<string> {
  const topic = uniqueName('cli')
  expect((await sluice(['topics', 'create', topic, '-p', String(partitions)])).code).toBe(0)
  return topic
}

describe('topics', () => {
  it('creates, describes, alters and deletes, with exit codes scripts can act on', async () => {
    const topic = uniqueName('cli')
    expect(
      await sluice(['topics', 'create', topic, '-p', '2', '-c', 'retention.ms=60000']),
    ).toEqual({
      code: 0,
      stdout: '',
      stderr: `Created topic '${topic}'.\n`,
    })
    const again = await sluice(['topics', 'create', topic])
    expect(again.code).toBe(1)
    expect(again.stderr).toBe(
      `error: Topic '${topic}' already exists (--if-not-exists accepts that).\n`,
    )
    expect((await sluice(['topics', 'create', topic, '--if-not-exists'])).code).toBe(0)

    const listed = await sluice(['topics', 'list'])
    expect(JSON.parse(listed.stdout)).toContain(topic)

    expect(
      (await sluice(['topics', 'alter', topic, '-p', '3', '--delete-config', 'retention.ms'])).code,
    ).toBe(0)
    const described = await sluice(['topics', 'describe', topic], { tty: true })
    expect(described.code).toBe(0)
    expect(lines(described.stdout)).toEqual([
      expect.stringMatching(new RegExp(`^Topic: ${topic}  TopicId: \\S+  PartitionCount: 3$`)),
      'Configs: (defaults)',
      'PARTITION  EARLIEST-OFFSET  LATEST-OFFSET  RECORDS',
      '---------  ---------------  -------------  -------',
      '        0                0              0        0',
      '        1                0              0        0',
      '        2                0              0        0',
    ])

    expect((await sluice(['topics', 'delete', topic])).code).toBe(0)
    const missing = await sluice(['topics', 'describe', topic])
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `error: Topic '${topic}' not found. [40401]\n` +
        'hint: create it first: `sluice topics create <topic>` (or POST /v3/clusters/{cluster}/topics).\n',
    })
    expect((await sluice(['topics', 'delete', topic, '--if-exists'])).code).toBe(0)
  })

  it('refuses a bad command line with exit code 2, sending nothing', async () => {
    const topic = uniqueName('cli')
    for (const args of [
      ['topics', 'create', topic, '--partitions', '0'],
      ['topics', 'create', topic, '--config', 'novalue'],
      ['topics', 'alter', topic],
      ['topics', 'frobnicate'],
      ['consume', topic, '--offset', '5'],
      ['consume', topic, '--group', 'g', '--partition', '0'],
      ['consume', topic, '--group', 'g', '--format', 'avro'],
      ['consume', topic, '--group', 'g', '--to-end'],
      ['produce', topic, '--format', 'avro'],
      ['produce', topic, '--format', 'yaml'],
      ['groups', 'reset-offsets', 'g'],
      ['groups', 'reset-offsets', 'g', '--to-datetime', 'yesterday'],
      ['--no-such-flag'],
      [],
    ]) {
      const run = await sluice(args)
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2)
      expect(run.stdout, args.join(' ')).toBe('')
    }
    const listed = await sluice(['topics', 'list'])
    expect(JSON.parse(listed.stdout)).not.toContain(topic)
  })
})

describe('produce and consume', () => {
  it('stops at the first line it cannot use, naming it, after producing the lines before it', async () => {
    const topic = await topicWith()
    const run = await sluice(['produce', topic, '--format', 'json'], {
      input: '{"n": 1}\n{"n": \n{"n": 3}\n',
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^error: line 2: The value is not JSON: .*\n$/)
    const read = await readAll(topic, 'json')
    expect(read).toMatchObject({ code: 0, stdout: '{"n":1}\n' })
  })

  it('produces with or without idempotence, each line once', async () => {
    const topic = await topicWith()
    expect((await sluice(['produce', topic], { input: 'a\nb\n' })).code).toBe(0)
    expect((await sluice(['produce', topic, '--no-idempotence'], { input: 'c\n' })).code).toBe(0)
    const read = await sluice(['consume', topic, '--from-beginning', '--to-end'])
    expect(read).toMatchObject({ code: 0, stdout: 'a\nb\nc\n' })
  })

  it('names the Confluent code of a record the server refused, with a hint', async () => {
    const topic = uniqueName('cli')
    expect(
      (await sluice(['topics', 'create', topic, '--config', 'cleanup.policy=compact'])).code,
    ).toBe(0)
    const run = await sluice(['produce', topic], { input: 'no key\n' })
    expect(run.code).toBe(1)
    expect(lines(run.stderr)).toEqual([
      `error: line 1: Topic '${topic}' is compacted: every record needs a key. [40002]`,
      expect.stringMatching(/^hint: give every record a key .*--key-separator/),
    ])
  })

  it('round-trips binary values, and reads a partition from an offset as JSON lines', async () => {
    const topic = await topicWith(2)
    const values = ['AAEC', '/w==', 'aGVsbG8=']
    const file = join(dir, 'binary.txt')
    await writeFile(file, values.map((v) => `k:${v}`).join('\n'))
    expect(
      (await sluice(['produce', topic, file, '--format', 'binary', '--key-separator', ':'])).code,
    ).toBe(0)
    const partition = (
      await sluice([
        'consume',
        topic,
        '--from-beginning',
        '--to-end',
        '--format',
        'binary',
        '-o',
        'json',
      ])
    ).stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
    expect(partition.map((r) => r.value)).toEqual(values)
    expect(partition[0]).toMatchObject({ topic, key: 'k', offset: 0, headers: [] })
    expect(partition[0].timestamp).toMatch(/^\d{4}-\d\d-\d\dT/)
    const p = String(partition[0].partition)
    const fromOne = await sluice([
      'consume',
      topic,
      '--partition',
      p,
      '--offset',
      '1',
      '--to-end',
      '--format',
      'binary',
    ])
    expect(lines(fromOne.stdout)).toEqual(values.slice(1))
    const outside = await sluice(['consume', topic, '--partition', p, '--offset', '9'])
    expect(outside.code).toBe(1)
    expect(outside.stderr).toMatch(/Offset 9 is out of range.*\[41601\]/)
  })

  it('produces and reads Avro with a schema file, and checks schemas with exit code 3', async () => {
    const topic = await topicWith()
    const schema = join(dir, 'order.avsc')
    await writeFile(
      schema,
      JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'long' }] }),
    )
    const produced = await sluice(['produce', topic, '--format', 'avro', '--schema', schema], {
      input: '{"id": 1}\n{"id": 2}\n',
    })
    expect(produced.code, produced.stderr).toBe(0)
    const read = await readAll(topic, 'avro')
    expect(lines(read.stdout)).toEqual(['{"id":1}', '{"id":2}'])
    const refused = await sluice(['produce', topic, '--format', 'avro', '--schema', schema], {
      input: '{"id": "x"}\n',
    })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^error: line 1: .*id.*\n$/)

    const subject = `${topic}-value`
    expect(JSON.parse((await sluice(['schemas', 'list'])).stdout)).toContain(subject)
    const incompatible = join(dir, 'string-id.avsc')
    await writeFile(
      incompatible,
      JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }] }),
    )
    const check = await sluice(['schemas', 'check', subject, '--schema', incompatible])
    expect(check.code).toBe(3)
    expect(check.stderr).toMatch(/^error: Not compatible with .*id.*\n$/)
    expect((await sluice(['schemas', 'check', subject, '--schema', schema])).code).toBe(0)
    expect((await sluice(['schemas', 'get', subject])).stdout).toContain('"Order"')
  })
})

describe('groups', () => {
  it('resets and describes a group as kafka-consumer-groups does, then deletes it', async () => {
    const topic = await topicWith()
    const group = uniqueName('cli-group')
    await sluice(['produce', topic], { input: 'a\nb\nc\n' })
    const reset = await sluice([
      'groups',
      'reset-offsets',
      group,
      '--to-offset',
      '1',
      '--topic',
      topic,
    ])
    expect(JSON.parse(reset.stdout)).toEqual([{ topic, partition: 0, offset: 1 }])
    const described = await sluice(['groups', 'describe', group], { tty: true })
    expect(lines(described.stdout)).toEqual([
      `Consumer group '${group}' is EMPTY with 0 member(s) (assignor cooperative-sticky).`,
      expect.stringMatching(
        /^GROUP\s+TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG\s+CONSUMER-ID\s+CLIENT-ID$/,
      ),
      expect.stringMatching(/^-+(\s+-+){7}$/),
      expect.stringMatching(new RegExp(`^${group}\\s+${topic}\\s+0\\s+1\\s+3\\s+2\\s+-\\s+-$`)),
    ])
    // Ends at the second record, however long joining the group takes on the engines at hand.
    const consumed = await sluice(['consume', topic, '--group', group, '--max', '2'])
    expect(consumed).toMatchObject({ code: 0, stdout: 'b\nc\n' })
    expect(JSON.parse((await sluice(['groups', 'list'])).stdout)).toContainEqual(
      expect.objectContaining({ groupId: group, state: 'EMPTY' }),
    )
    expect((await sluice(['groups', 'delete', group])).code).toBe(0)
    expect((await sluice(['groups', 'describe', group])).stderr).toMatch(/\[40405\]\n$/)
  })
})
