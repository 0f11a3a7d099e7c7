import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { extract } from 'tar'
import { verifyIntegrity } from './integrity.ts'

const projectRoot = fileURLToPath(new URL('../../', import.meta.url))

/** Where engines fetched for this project are kept between runs. */
export const defaultEngineCacheDir = join(projectRoot, '.sluice', 'engines')

/** One folder of one pinned npm package, fetched without its dependencies or install scripts. */
export interface PackedFolder {
  /** `name@version`. */
  readonly spec: string
  /** The tarball's npm integrity (`sha512-<base64>`), so every machine unpacks the same bytes. */
  readonly integrity: string
  /** The folder inside the tarball, e.g. `package/emulator/`. */
  readonly folder: string
  /** A file the folder holds, relative to it: its presence means the folder is unpacked. */
  readonly marker: string
}

export class PackFailedError extends Error {
  override name = 'PackFailedError'
}

const execFileAsync = promisify(execFile)

/**
 * Makes sure `packed.folder` is unpacked at `target` and returns `target`. The
 * download happens once; later calls only look for the marker.
 */
export async function installPackedFolder(packed: PackedFolder, target: string): Promise<string> {
  if (existsSync(join(target, packed.marker))) return target

  await mkdir(dirname(target), { recursive: true })
  const packDir = await mkdtemp(join(tmpdir(), 'sluice-pack-'))
  // A sibling of the target, so the final rename stays on one file system and
  // the target only ever appears complete.
  const staging = await mkdtemp(`${target}.tmp-`)
  try {
    const tarball = await pack(packed.spec, packDir)
    await verifyIntegrity(tarball, packed.integrity)
    const depth = packed.folder.split('/').filter((part) => part !== '').length
    await extract({ file: tarball, cwd: staging, strip: depth }, [packed.folder])
    await rename(staging, target).catch((error: unknown) => {
      // Another process finished first: its copy is as good as ours.
      if (!existsSync(join(target, packed.marker))) throw error
    })
  } finally {
    await Promise.all([
      rm(packDir, { recursive: true, force: true }),
      rm(staging, { recursive: true, force: true }),
    ])
  }
  return target
}

async function pack(spec: string, destination: string): Promise<string> {
  const { stdout } = await execFileAsync(
    'npm',
    ['pack', spec, '--json', '--pack-destination', destination],
    // Its JSON lists every file of the package.
    { maxBuffer: 64 * 1024 * 1024 },
  )
  const [packed] = JSON.parse(stdout) as { filename: string }[]
  if (packed === undefined) throw new PackFailedError(`npm pack ${spec} reported no tarball`)
  return join(destination, basename(packed.filename))
}
