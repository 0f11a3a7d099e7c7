import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../..')

async function sources(folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
}

/** The files among `files` with an import whose specifier matches `pattern`. */
async function importing(files: readonly string[], pattern: RegExp): Promise<string[]> {
  const found: string[] = []
  for (const file of files) {
    const text = await readFile(join(root, file), 'utf8')
    const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1])
    if (specifiers.some((specifier) => specifier !== undefined && pattern.test(specifier))) {
      found.push(file)
    }
  }
  return found
}

/** The files among `files` whose text matches `pattern`. */
async function mentioning(files: readonly string[], pattern: RegExp): Promise<string[]> {
  const found: string[] = []
  for (const file of files) {
    if (pattern.test(await readFile(join(root, file), 'utf8'))) found.push(file)
  }
  return found
}

/** The fields an AWS SDK service exception is recognised by, and its exceptions' names. */
const SDK_ERROR_SHAPES = /\$(fault|metadata|retryable)\b|'\w+Exception'/

/** The fault checker plays the failing engine: it makes the errors the SDK would have parsed. */
const FAULT_LAYER = 'lib/check/fault-layer.ts'

const AWS_DATA_CLIENTS = /^@aws-sdk\/(client-dynamodb|lib-dynamodb|util-dynamodb|client-s3)$/

describe('storage boundaries', () => {
  it('only the AWS engine and the local engines import the DynamoDB and S3 clients', async () => {
    const files = [...(await sources('lib')), ...(await sources('functions'))]
    const outside = (await importing(files, AWS_DATA_CLIENTS)).filter(
      (file) => !file.startsWith('lib/storage/aws/') && !file.startsWith('lib/local/'),
    )
    expect(outside).toEqual([])
  })

  it('only the AWS engine and the local engines know the SDK error shapes', async () => {
    const files = [...(await sources('lib')), ...(await sources('functions'))]
    const outside = (await mentioning(files, SDK_ERROR_SHAPES)).filter(
      (file) =>
        !file.startsWith('lib/storage/aws/') &&
        !file.startsWith('lib/local/') &&
        file !== FAULT_LAYER,
    )
    expect(outside).toEqual([])
  })

  it('ports import no engine', async () => {
    const ports = await sources('lib/storage/ports')
    expect(await importing(ports, /\/(aws|memory)\/|^@aws-sdk\//)).toEqual([])
  })

  it('the memory engine imports nothing of the AWS one', async () => {
    const memory = await sources('lib/storage/memory')
    expect(await importing(memory, /\/aws\/|^@aws-sdk\//)).toEqual([])
  })
})
