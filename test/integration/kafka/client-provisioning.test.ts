import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { confluentKafkaPython, importsConfluentKafka } from '../../support/confluent-kafka.ts'
import { resolveKcat } from '../../support/kcat.ts'

const run = promisify(execFile)

// What a fresh machine gets: the tools on this one stay untouched, so these ignore them.
// The first run downloads into .sluice/engines; later runs find the cache.
describe('the Kafka clients a fresh machine installs on first use', () => {
  it("unpacks Debian's kcat without root and runs it", { timeout: 120_000 }, async () => {
    const kcat = await resolveKcat({ ignorePath: true })
    expect(kcat).toMatch(/\.sluice\/engines\/kcat\/kcat$/)
    const { stdout } = await run(kcat, ['-V'])
    expect(stdout).toContain('kcat - Apache Kafka producer and consumer tool')
    expect(stdout).toMatch(/librdkafka \d+\.\d+\.\d+/)
  })

  it('installs confluent-kafka from PyPI into a venv', { timeout: 180_000 }, async () => {
    const python = await confluentKafkaPython({ ignoreSystemPython: true })
    expect(python).toMatch(/\.sluice\/engines\/confluent-kafka\/bin\/python$/)
    expect(await importsConfluentKafka(python)).toBe(true)
  })
})
