/**
 * The message specs come from Apache Kafka's own kafka-clients jar on Maven
 * Central, at a pinned version and checksum, fetched with Maven into its local
 * repository (so a machine downloads it once).
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { strFromU8, unzipSync } from 'fflate'

export const KAFKA_CLIENTS_VERSION = '4.1.1'
const KAFKA_CLIENTS_SHA256 = '00247122a572c3d3ae4eb60a50192a5811bc0181f51923d13018600f892e821d'
const SPEC_FOLDER = 'common/message/'

const execFileAsync = promisify(execFile)

export class SpecJarError extends Error {
  override name = 'SpecJarError'
}

export function defaultMavenRepository(): string {
  return process.env.SLUICE_MAVEN_REPOSITORY || join(homedir(), '.m2', 'repository')
}

async function kafkaClientsJar(repository: string): Promise<Buffer> {
  const path = join(
    repository,
    'org/apache/kafka/kafka-clients',
    KAFKA_CLIENTS_VERSION,
    `kafka-clients-${KAFKA_CLIENTS_VERSION}.jar`,
  )
  if (!existsSync(path)) {
    await execFileAsync(
      'mvn',
      [
        '-q',
        '-B',
        'dependency:get',
        `-Dartifact=org.apache.kafka:kafka-clients:${KAFKA_CLIENTS_VERSION}`,
        '-Dtransitive=false',
        `-Dmaven.repo.local=${repository}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: Error) => {
      throw new SpecJarError(`mvn could not fetch kafka-clients: ${error.message}`, {
        cause: error,
      })
    })
  }
  const jar = await readFile(path)
  const digest = createHash('sha256').update(jar).digest('hex')
  if (digest !== KAFKA_CLIENTS_SHA256) {
    throw new SpecJarError(`${path} has SHA-256 ${digest}, expected ${KAFKA_CLIENTS_SHA256}`)
  }
  return jar
}

/** The spec files of the pinned kafka-clients, by file name (e.g. `ProduceRequest.json`). */
export async function loadMessageSpecs(
  repository = defaultMavenRepository(),
): Promise<Map<string, string>> {
  const jar = await kafkaClientsJar(repository)
  const files = unzipSync(jar, {
    filter: (file) => file.name.startsWith(SPEC_FOLDER) && file.name.endsWith('.json'),
  })
  return new Map(
    Object.entries(files).map(([name, bytes]) => [
      name.slice(SPEC_FOLDER.length),
      strFromU8(bytes),
    ]),
  )
}
