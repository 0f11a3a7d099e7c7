import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { rm } from 'node:fs/promises'

export class IntegrityMismatchError extends Error {
  override name = 'IntegrityMismatchError'
}

/**
 * Checks a file against an npm-style `sha512-<base64>` integrity string. A file
 * that does not match is deleted, so a corrupt or tampered download is never
 * picked up by a later run.
 */
export async function verifyIntegrity(file: string, integrity: string): Promise<void> {
  const hash = createHash('sha512')
  for await (const chunk of createReadStream(file)) hash.update(chunk)
  const actual = `sha512-${hash.digest('base64')}`
  if (actual !== integrity) {
    await rm(file, { force: true })
    throw new IntegrityMismatchError(`${file} has integrity ${actual}, expected ${integrity}`)
  }
}
