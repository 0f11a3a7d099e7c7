import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { IntegrityMismatchError, verifyIntegrity } from '../../../lib/local/integrity.ts'

const content = Buffer.from('a tarball, supposedly')
let dir: string
let file: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-integrity-'))
  file = join(dir, 'package.tgz')
  await writeFile(file, content)
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

it('accepts a file whose sha512 matches', async () => {
  const integrity = `sha512-${createHash('sha512').update(content).digest('base64')}`
  await expect(verifyIntegrity(file, integrity)).resolves.toBeUndefined()
  expect(existsSync(file)).toBe(true)
})

it('rejects and deletes a file whose sha512 does not match', async () => {
  const tampered = `sha512-${createHash('sha512').update('something else').digest('base64')}`
  await expect(verifyIntegrity(file, tampered)).rejects.toThrow(IntegrityMismatchError)
  expect(existsSync(file)).toBe(false)
})
