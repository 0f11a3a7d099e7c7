/** Writes the Kafka protocol codecs generated from the pinned kafka-clients specs. */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateCodecs, MESSAGES_FOLDER } from '../lib/kafka/protocol/generator/generate.ts'

const files = await generateCodecs()
await mkdir(MESSAGES_FOLDER, { recursive: true })
for (const stale of await readdir(MESSAGES_FOLDER)) {
  if (!files.has(stale)) await rm(join(MESSAGES_FOLDER, stale))
}
for (const [name, source] of files) await writeFile(join(MESSAGES_FOLDER, name), source)
console.log(`wrote ${files.size} codecs to ${MESSAGES_FOLDER}`)
