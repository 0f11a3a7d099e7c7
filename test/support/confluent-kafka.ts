import { join } from 'node:path'
import { defaultEngineCacheDir } from '../../lib/local/packed-folder.ts'
import { commandSucceeds } from '../../lib/local/process-check.ts'
import { installVenv } from '../../lib/local/python-venv.ts'

/** The version the gateway's tests drive; its manylinux wheels bundle librdkafka. */
export const confluentKafkaVersion = '2.16.1'

export interface ConfluentKafkaOptions {
  readonly cacheDir?: string
  /** Install into the venv even when `python3` already imports this version: tests that path. */
  readonly ignoreSystemPython?: boolean
}

/**
 * A Python that imports confluent-kafka at `confluentKafkaVersion`: the
 * machine's `python3` when it does, else a venv in the cache that pip fills
 * from PyPI on first use.
 */
export async function confluentKafkaPython({
  cacheDir = defaultEngineCacheDir,
  ignoreSystemPython = false,
}: ConfluentKafkaOptions = {}): Promise<string> {
  if (!ignoreSystemPython && (await importsConfluentKafka('python3'))) return 'python3'
  return installVenv(
    join(cacheDir, 'confluent-kafka'),
    `confluent-kafka==${confluentKafkaVersion}\n`,
    {
      purpose: `confluent-kafka ${confluentKafkaVersion}`,
      minimum: [3, 8],
    },
  )
}

/** Whether `python` imports confluent-kafka at exactly `confluentKafkaVersion`. */
export async function importsConfluentKafka(python: string): Promise<boolean> {
  return commandSucceeds(python, [
    '-c',
    'import sys, confluent_kafka; sys.exit(confluent_kafka.__version__ != sys.argv[1])',
    confluentKafkaVersion,
  ])
}
