import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isRunning } from './process-check.ts'

/** Another live process serves from this data directory. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError'
}

export interface DataDirLock {
  release(): Promise<void>
}

const LOCK_FILE = 'sluice.lock'

/**
 * Takes a data directory for this process alone: two servers on one
 * directory would run two DynamoDB Locals on one database file. A lock whose
 * process is gone (killed with SIGKILL, say) is stale and taken over.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, LOCK_FILE)
  await mkdir(dataDir, { recursive: true })
  // Bounded: each round either takes the lock or removes a stale one.
  for (let round = 0; round < 3; round++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' })
      return { release: () => rm(path, { force: true }) }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10)
    if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
      throw new DataDirInUseError(
        `${dataDir} is in use by process ${holder} (another \`sluice dev\`?): stop it, or give ` +
          `this one another SLUICE_DATA_DIR. If no such server runs, delete ${path}.`,
      )
    }
    await rm(path, { force: true })
  }
  throw new DataDirInUseError(`Could not lock ${dataDir}: ${path} keeps reappearing.`)
}
