import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateCodecs, MESSAGES_FOLDER } from '../../../lib/kafka/protocol/generator/generate.ts'

describe('generated codecs', () => {
  // Fetches the pinned kafka-clients jar with Maven on a machine that lacks it.
  it('are what the generator makes from the pinned specs today', { timeout: 300_000 }, async () => {
    const generated = await generateCodecs()
    const committed = new Map<string, string>()
    for (const name of await readdir(MESSAGES_FOLDER)) {
      committed.set(name, await readFile(join(MESSAGES_FOLDER, name), 'utf8'))
    }
    expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort())
    for (const [name, source] of generated) expect(committed.get(name), name).toBe(source)
  })
})
