import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { defaultEngineCacheDir } from '../../lib/local/packed-folder.ts'
import { commandSucceeds } from '../../lib/local/process-check.ts'

export interface KcatOptions {
  readonly cacheDir?: string
  /** Unpack Debian's kcat even when PATH has one: tests that path. */
  readonly ignorePath?: boolean
}

export class KcatUnavailableError extends Error {
  override name = 'KcatUnavailableError'
}

const execFileAsync = promisify(execFile)

/**
 * A kcat to run: the one on PATH, else Debian's packages of kcat and whatever
 * of its libraries the machine lacks, downloaded and unpacked into the cache
 * without root on first use, behind a script that points the loader at them.
 */
export async function resolveKcat({
  cacheDir = defaultEngineCacheDir,
  ignorePath = false,
}: KcatOptions = {}): Promise<string> {
  if (!ignorePath && (await commandSucceeds('kcat', ['-V']))) return 'kcat'
  return unpackDebianKcat(join(cacheDir, 'kcat')).catch((error: unknown) => {
    throw new KcatUnavailableError(
      `kcat is not on PATH and could not be unpacked from Debian's packages (${reason(error)}): ` +
        'install it (e.g. `apt-get install kcat`), or on Debian and Ubuntu run `apt-get update` so `apt-get download` finds it',
    )
  })
}

/** Makes sure `target` holds the unpacked packages and returns the script that runs kcat. */
async function unpackDebianKcat(target: string): Promise<string> {
  const launcher = join(target, 'kcat')
  // Written last: its presence means the folder is complete.
  if (existsSync(launcher)) return launcher

  await mkdir(dirname(target), { recursive: true })
  // A sibling of the target, so the final rename stays on one file system.
  const staging = await mkdtemp(`${target}.tmp-`)
  try {
    const debs = join(staging, 'debs')
    const root = join(staging, 'root')
    await mkdir(debs)
    // librdkafka1 is always taken, so kcat runs with the library it was built against.
    const packages = new Set(['kcat', 'librdkafka1', ...(await uninstalledDependencies('kcat'))])
    await execFileAsync('apt-get', ['download', ...packages], { cwd: debs })
    for (const deb of await readdir(debs)) {
      await execFileAsync('dpkg-deb', ['--extract', join(debs, deb), root])
    }
    await rm(debs, { recursive: true })
    const libraryDirs = await sharedLibraryDirs(root)
    await assertLibrariesFound(
      join(root, 'usr', 'bin', 'kcat'),
      libraryDirs.map((dir) => join(root, dir)),
    )
    await writeFile(join(staging, 'kcat'), launcherScript(libraryDirs))
    await chmod(join(staging, 'kcat'), 0o755)
    await rename(staging, target).catch((error: unknown) => {
      // Another process finished first: its copy is as good as ours.
      if (!existsSync(launcher)) throw error
    })
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
  return launcher
}

/** The packages `name` depends on, directly or not, that dpkg has not installed. */
async function uninstalledDependencies(name: string): Promise<string[]> {
  const { stdout } = await execFileAsync('apt-cache', [
    ...['depends', '--recurse', '--no-recommends', '--no-suggests'],
    ...['--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', name],
  ])
  // Indented lines are the relations; virtual packages come in angle brackets.
  const closure = stdout.split('\n').filter((line) => /^[a-z0-9]/.test(line))
  // dpkg-query fails when it never heard of some of them, and still lists the rest.
  const { stdout: statuses } = await execFileAsync('dpkg-query', [
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own field syntax
    ...['--show', '--showformat', '${Package} ${db:Status-Status}\n'],
    ...closure,
  ]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }))
  const installed = new Set(
    statuses
      .split('\n')
      .filter((line) => line.endsWith(' installed'))
      .map((line) => line.split(' ')[0]),
  )
  return closure.filter((pkg) => !installed.has(pkg))
}

/** The folders under `root`, relative to it, that hold shared libraries. */
async function sharedLibraryDirs(root: string): Promise<string[]> {
  const files = await readdir(root, { recursive: true })
  return [...new Set(files.filter((file) => /\.so(\.\d+)*$/.test(basename(file))).map(dirname))]
}

/** Fails, naming them, when the loader would not find some of `binary`'s libraries. */
async function assertLibrariesFound(binary: string, libraryDirs: readonly string[]): Promise<void> {
  const { stdout } = await execFileAsync('ldd', [binary], {
    env: { ...process.env, LD_LIBRARY_PATH: libraryDirs.join(':') },
  })
  const missing = stdout
    .split('\n')
    .filter((line) => line.includes('=> not found'))
    .map((line) => line.trim().split(' ')[0])
  if (missing.length > 0) throw new Error(`its libraries ${missing.join(', ')} are missing`)
}

/** A script that runs the unpacked kcat with its libraries first on the loader's path. */
function launcherScript(libraryDirs: readonly string[]): string {
  const path = libraryDirs.map((dir) => `$here/root/${dir}`).join(':')
  return [
    '#!/bin/sh',
    'here=$(cd "$(dirname "$0")" && pwd)',
    `LD_LIBRARY_PATH="${path}\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"`,
    'export LD_LIBRARY_PATH',
    'exec "$here/root/usr/bin/kcat" "$@"',
    '',
  ].join('\n')
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message.trim() : String(error)
}
