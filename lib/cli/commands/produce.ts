import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { Command, Option } from 'commander'
import { nonNegativeInteger, positiveInteger } from '../arguments.ts'
import { type ConnectionOptions, clientFor } from '../connection.ts'
import { UsageError } from '../exit-codes.ts'
import { type CliIo, note } from '../io.ts'
import { LINE_FORMATS, type LineFormat, type LineOptions, parseLine } from '../line-parser.ts'
import { progressBar } from '../progress.ts'

interface ProduceOptions extends ConnectionOptions {
  readonly keySeparator?: string
  readonly format: LineFormat
  readonly schema?: string
  readonly schemaId?: number
  readonly lingerMs?: number
  readonly batchSize?: number
  /** False with --no-idempotence. */
  readonly idempotence: boolean
}

/** Sends stay bounded: reading pauses while this many lines await their delivery reports. */
const MAX_OUTSTANDING = 5000

/** A line that could not be produced, named by its number. */
class LineError extends Error {
  override name = 'LineError'
}

async function lineOptions(options: ProduceOptions): Promise<LineOptions> {
  const keySeparator =
    options.keySeparator === undefined ? {} : { keySeparator: options.keySeparator }
  if (options.keySeparator === '') throw new UsageError('--key-separator must not be empty.')
  if (options.format !== 'avro') {
    if (options.schema !== undefined || options.schemaId !== undefined) {
      throw new UsageError('--schema and --schema-id go with --format avro.')
    }
    return { ...keySeparator, format: options.format }
  }
  if ((options.schema === undefined) === (options.schemaId === undefined)) {
    throw new UsageError('--format avro needs --schema <file.avsc> or --schema-id <id>.')
  }
  const schema =
    options.schema !== undefined
      ? { text: await readFile(options.schema, 'utf8') }
      : { id: options.schemaId as number }
  return { ...keySeparator, format: 'avro', schema }
}

/** `sluice produce`: kafka-console-producer for Sluice, one record per line. */
export function produceCommand(io: CliIo): Command {
  return new Command('produce')
    .description('produce one record per line of a file or stdin')
    .argument('<topic>')
    .argument('[file]', 'read lines from this file instead of stdin')
    .option('--key-separator <text>', 'split each line into key and value at the first <text>')
    .addOption(
      new Option('--format <format>', 'how to read values').choices(LINE_FORMATS).default('string'),
    )
    .option('--schema <file>', 'the Avro schema (.avsc) of the values, with --format avro')
    .option('--schema-id <id>', 'a registered schema id instead of --schema', nonNegativeInteger)
    .option(
      '--linger-ms <ms>',
      'how long records wait to be batched (default: 5)',
      nonNegativeInteger,
    )
    .option('--batch-size <bytes>', 'bytes per partition batch (default: 16384)', positiveInteger)
    .option('--no-idempotence', 'at-least-once delivery: a retried request may store records twice')
    .addHelpText(
      'after',
      `
Formats: string (the line), json (a JSON document per line), binary (base64 per
line), avro (Avro's JSON encoding per line, with --schema or --schema-id).
Records are produced idempotently (exactly once, in order, retries included).
Stops at the first line it cannot use, naming it; the lines before it are produced.`,
    )
    .action(async (topic: string, file: string | undefined, _: unknown, command: Command) => {
      const options = command.optsWithGlobals<ProduceOptions>()
      const parse = await lineOptions(options)
      const fromFile = file !== undefined && file !== '-'
      const input = fromFile ? createReadStream(file) : io.stdin
      // Only a file has a known size to show progress against.
      const bar = fromFile ? progressBar(io.stderr, (await stat(file)).size, 'bytes') : undefined
      const producer = clientFor(options).producer({
        idempotent: options.idempotence,
        ...(options.lingerMs !== undefined && { lingerMs: options.lingerMs }),
        ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
      })
      const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })
      const stopReading = () => lines.close()
      io.signal.addEventListener('abort', stopReading)
      const outstanding = new Set<Promise<void>>()
      let failure: Error | undefined
      let produced = 0
      let lineNumber = 0
      let bytesRead = 0
      try {
        for await (const line of lines) {
          lineNumber++
          bytesRead += Buffer.byteLength(line) + 1
          bar?.update(bytesRead)
          const number = lineNumber
          let message: ReturnType<typeof parseLine>
          try {
            message = parseLine(line, parse)
          } catch (error) {
            failure = new LineError(`line ${number}: ${(error as Error).message}`)
            break
          }
          const sent: Promise<void> = producer.send({ topic, messages: [message] }).then(
            () => {
              produced++
              outstanding.delete(sent)
            },
            (error: Error) => {
              failure ??= new LineError(`line ${number}: ${error.message}`, { cause: error })
              outstanding.delete(sent)
            },
          )
          outstanding.add(sent)
          if (outstanding.size >= MAX_OUTSTANDING) await Promise.race(outstanding)
          if (failure) break
        }
      } finally {
        io.signal.removeEventListener('abort', stopReading)
        lines.close()
        await producer.disconnect()
        bar?.stop()
      }
      if (failure) throw failure
      note(io, `Produced ${produced} record(s) to '${topic}'.`)
    })
}
