import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { commandSucceeds } from './process-check.ts'

/** What a venv needs of the Python that creates it. */
export interface PythonNeed {
  /** Who needs it, named in the error when no Python fits. */
  readonly purpose: string
  /** The oldest `[major, minor]` that will do. */
  readonly minimum: readonly [number, number]
  /** An environment variable that may name the Python to try first. */
  readonly overrideVariable?: string
}

export class PythonNotFoundError extends Error {
  override name = 'PythonNotFoundError'
}

const execFileAsync = promisify(execFile)

/**
 * Makes sure `venv` holds exactly `requirements` (the text of a requirements
 * file) and returns its Python. pip runs only when they changed since the last
 * install, so every call after the first costs one file read.
 */
export async function installVenv(
  venv: string,
  requirements: string,
  need: PythonNeed,
): Promise<string> {
  const python = join(venv, 'bin', 'python')
  const digest = createHash('sha256').update(requirements).digest('hex')
  // Written last: a venv without it is an interrupted install.
  const marker = join(venv, 'sluice-requirements.sha256')
  if ((await readFile(marker, 'utf8').catch(() => '')) === digest) return python

  await rm(venv, { recursive: true, force: true })
  await execFileAsync(await findPython(need), ['-m', 'venv', venv])
  const requirementsFile = join(venv, 'sluice-requirements.txt')
  await writeFile(requirementsFile, requirements)
  await execFileAsync(
    python,
    [
      ...['-m', 'pip', 'install', '--quiet', '--no-input', '--disable-pip-version-check'],
      ...['--requirement', requirementsFile],
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  )
  await writeFile(marker, digest)
  return python
}

/** The first Python at least `need.minimum`: the one named, common names on PATH, then pyenv's. */
async function findPython(need: PythonNeed): Promise<string> {
  const named = need.overrideVariable ? process.env[need.overrideVariable] : undefined
  const candidates = [
    ...(named ? [named] : []),
    'python3.13',
    'python3.12',
    'python3',
    ...(await pyenvPythons()),
  ]
  const [major, minor] = need.minimum
  for (const candidate of candidates) {
    const recent = await commandSucceeds(candidate, [
      '-c',
      `import sys; sys.exit(sys.version_info < (${major}, ${minor}))`,
    ])
    if (recent) return candidate
  }
  throw new PythonNotFoundError(
    `${need.purpose} needs Python ${major}.${minor} or newer, and none of ${candidates.join(', ')} is one: ` +
      `install one${need.overrideVariable ? `, or name it in ${need.overrideVariable}` : ''}.`,
  )
}

/** The Pythons pyenv installed, newest first: its shims only run the selected version. */
async function pyenvPythons(): Promise<string[]> {
  const root = await execFileAsync('pyenv', ['root']).then(
    ({ stdout }) => stdout.trim(),
    () => undefined,
  )
  if (root === undefined) return []
  const versions = await readdir(join(root, 'versions')).catch(() => [])
  return versions
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    .map((version) => join(root, 'versions', version, 'bin', 'python'))
}
