/**
 * Generates the codecs of the messages the gateway serves: only those, so the
 * generated code stays small enough to read and review.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { emitMessage } from './emit.ts'
import { parseMessageSpec, SpecError } from './spec.ts'
import { KAFKA_CLIENTS_VERSION, loadMessageSpecs } from './spec-jar.ts'

/** The APIs served, by spec name; each brings its request and response. */
export const SERVED_APIS = [
  'ApiVersions',
  'Metadata',
  'Produce',
  'Fetch',
  'ListOffsets',
  'CreateTopics',
  'DeleteTopics',
  'CreatePartitions',
  'DescribeConfigs',
  'IncrementalAlterConfigs',
  'DescribeCluster',
  'FindCoordinator',
  'JoinGroup',
  'SyncGroup',
  'Heartbeat',
  'LeaveGroup',
  'OffsetCommit',
  'OffsetFetch',
  'ListGroups',
  'DescribeGroups',
  'DeleteGroups',
  'SaslHandshake',
  'SaslAuthenticate',
  'InitProducerId',
  'ConsumerGroupHeartbeat',
] as const

/** Messages outside any API: the headers, and what classic consumer groups carry as opaque bytes. */
const OTHERS = [
  'RequestHeader',
  'ResponseHeader',
  'ConsumerProtocolSubscription',
  'ConsumerProtocolAssignment',
] as const

export const MESSAGES_FOLDER = fileURLToPath(new URL('../messages/', import.meta.url))
const BIOME = fileURLToPath(new URL('../../../../node_modules/.bin/biome', import.meta.url))

export function fileNameOf(specName: string): string {
  return `${specName.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.ts`
}

/** The project's formatter and lint fixes, so generated files pass lint like any other. */
function format(path: string, source: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      BIOME,
      ['check', '--write', `--stdin-file-path=${path}`],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    )
    child.stdin?.end(source)
  })
}

/** Every generated file, by name inside the messages folder. */
export async function generateCodecs(): Promise<Map<string, string>> {
  const specs = await loadMessageSpecs()
  const names = [...OTHERS, ...SERVED_APIS.flatMap((api) => [`${api}Request`, `${api}Response`])]
  const files = new Map<string, string>()
  for (const name of names) {
    const text = specs.get(`${name}.json`)
    if (text === undefined)
      throw new SpecError(`kafka-clients ${KAFKA_CLIENTS_VERSION} has no ${name}.json`)
    const source = `${name}.json of kafka-clients ${KAFKA_CLIENTS_VERSION}`
    const file = fileNameOf(name)
    files.set(
      file,
      await format(`${MESSAGES_FOLDER}${file}`, emitMessage(parseMessageSpec(name, text), source)),
    )
  }
  return files
}
