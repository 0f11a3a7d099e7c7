import { Command, InvalidArgumentError, Option } from 'commander'
import type { Sluice } from '../../client/sluice.ts'
import { nonNegativeInteger, positiveInteger } from '../arguments.ts'
import { type ConnectionOptions, clientFor } from '../connection.ts'
import { UsageError } from '../exit-codes.ts'
import { type CliIo, writeLine } from '../io.ts'
import {
  type BytesFormat,
  decodeBytes,
  jsonLine,
  type OutputRecord,
  outputOfRead,
  PAYLOAD_TYPE,
  RECORD_FORMATS,
  type RecordFormat,
  textLine,
} from '../record-output.ts'

interface ConsumeOptions extends ConnectionOptions {
  readonly fromBeginning?: boolean
  readonly offset?: number | 'earliest' | 'latest'
  readonly partition?: number
  readonly group?: string
  readonly max?: number
  readonly follow?: boolean
  readonly timeoutMs: number
  readonly format: RecordFormat
  readonly keyFormat: RecordFormat
  readonly printKey?: boolean
  readonly keySeparator: string
  readonly output: 'text' | 'json'
}

/** Records per read when reading partitions without a group. */
const PAGE = 1000
/** How long a read waits for new records with --follow. */
const FOLLOW_WAIT_MS = 1000

function offsetArgument(text: string): number | 'earliest' | 'latest' {
  if (text === 'earliest' || text === 'latest') return text
  try {
    return nonNegativeInteger(text)
  } catch {
    throw new InvalidArgumentError('Not an offset: give a number, earliest or latest.')
  }
}

/** Prints records until --max is reached; says when that happened. */
class Printer {
  private printed = 0

  constructor(
    private readonly io: CliIo,
    private readonly options: ConsumeOptions,
  ) {}

  get remaining(): number {
    return (this.options.max ?? Number.POSITIVE_INFINITY) - this.printed
  }

  async print(record: OutputRecord): Promise<void> {
    const { options } = this
    const line =
      options.output === 'json'
        ? jsonLine(record)
        : textLine(
            record,
            { key: options.keyFormat, value: options.format },
            options.printKey ? { separator: options.keySeparator } : undefined,
          )
    await writeLine(this.io.stdout, line)
    this.printed++
  }
}

/** The formats a --group consumer can show: it gets bytes, and Avro needs the read API's registry. */
function bytesFormat(format: RecordFormat): BytesFormat {
  if (format === 'avro') {
    throw new UsageError(
      'Avro is decoded by the read API: drop --group to read Avro records, or use --format binary.',
    )
  }
  return format
}

function check(options: ConsumeOptions): void {
  if (
    options.group !== undefined &&
    (options.offset !== undefined || options.partition !== undefined)
  ) {
    throw new UsageError(
      '--offset and --partition read partitions directly; a --group consumer gets partitions from its group.',
    )
  }
  if (options.offset !== undefined && options.partition === undefined) {
    throw new UsageError('--offset needs --partition.')
  }
  if (options.offset !== undefined && options.fromBeginning) {
    throw new UsageError('Give --offset or --from-beginning, not both.')
  }
}

/**
 * Without a group: each partition is read through the read API from its start
 * position to its end as it was when the command started (or on, with --follow).
 */
async function readPartitions(sluice: Sluice, topic: string, options: ConsumeOptions, io: CliIo) {
  const printer = new Printer(io, options)
  const { partitionsCount } = await sluice.admin().describeTopic(topic)
  const partitions =
    options.partition !== undefined
      ? [options.partition]
      : Array.from({ length: partitionsCount }, (_, p) => p)
  const from = options.offset ?? (options.fromBeginning ? 'earliest' : 'latest')
  const state = new Map(
    partitions.map((p) => [
      p,
      { next: from as number | 'earliest' | 'latest', end: undefined as number | undefined },
    ]),
  )
  while (state.size > 0 && printer.remaining > 0 && !io.signal.aborted) {
    const reads = await Promise.all(
      [...state].map(async ([partition, position]) => ({
        partition,
        position,
        result: await sluice.readPartition({
          topic,
          partition,
          from: position.next,
          maxRecords: Math.min(PAGE, printer.remaining),
          timeoutMs: options.follow ? FOLLOW_WAIT_MS : 0,
          keyType: PAYLOAD_TYPE[options.keyFormat],
          valueType: PAYLOAD_TYPE[options.format],
        }),
      })),
    )
    for (const { partition, position, result } of reads) {
      const end = options.follow ? Number.POSITIVE_INFINITY : (position.end ?? result.latestOffset)
      for (const record of result.records) {
        if (record.offset >= end || printer.remaining <= 0) break
        await printer.print(outputOfRead(record))
      }
      position.next = result.nextOffset
      position.end = end
      if (result.nextOffset >= end) state.delete(partition)
    }
  }
}

/**
 * With a group: a consumer of the group prints records and commits them once
 * printed. Without --follow it stops once nothing arrived for --timeout-ms.
 */
async function consumeAsGroup(
  sluice: Sluice,
  topic: string,
  group: string,
  options: ConsumeOptions,
  io: CliIo,
) {
  const formats = { key: bytesFormat(options.keyFormat), value: bytesFormat(options.format) }
  // A group may subscribe to a topic not there yet; the command line wants to hear about a typo.
  await sluice.admin().describeTopic(topic)
  const printer = new Printer(io, options)
  const consumer = sluice.consumer({ groupId: group })
  consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning ?? false })
  let failure: Error | undefined
  let lastRecordAt = Date.now()
  let finish: () => void = () => {}
  const finished = new Promise<void>((resolve) => {
    finish = resolve
  })
  consumer.on('crash', (error) => {
    failure = error
    finish()
  })
  io.signal.addEventListener('abort', finish)
  const idle = options.follow
    ? undefined
    : setInterval(() => {
        if (Date.now() - lastRecordAt >= options.timeoutMs) finish()
      }, 100)
  try {
    await consumer.run({
      eachMessage: async ({ topic: from, partition, message }) => {
        const where = (part: string) =>
          `${part} at offset ${message.offset} of ${from}/${partition}`
        await printer.print({
          topic: from,
          partition,
          offset: message.offset,
          key: decodeBytes(message.key, formats.key, where('key')),
          value: decodeBytes(message.value, formats.value, where('value')),
        })
        lastRecordAt = Date.now()
        if (printer.remaining <= 0) {
          // Not awaited: stop waits for this handler to return.
          void consumer.stop()
          finish()
        }
      },
    })
    await finished
  } finally {
    clearInterval(idle)
    io.signal.removeEventListener('abort', finish)
    await consumer.disconnect()
  }
  if (failure) throw failure
}

/** `sluice consume`: kafka-console-consumer for Sluice. */
export function consumeCommand(io: CliIo): Command {
  return new Command('consume')
    .description('print the records of a topic, one per line')
    .argument('<topic>')
    .option('--from-beginning', 'start at the first record (default: only new records)')
    .option('--partition <p>', 'read this partition only', nonNegativeInteger)
    .option(
      '--offset <offset>',
      'start here: a number, earliest or latest (needs --partition)',
      offsetArgument,
    )
    .option(
      '--group <group>',
      'consume as a member of this consumer group, committing what is printed',
    )
    .option('--max <count>', 'stop after this many records', positiveInteger)
    .option('--follow', 'keep waiting for new records (default: stop at the end)')
    .option(
      '--timeout-ms <ms>',
      'with --group and without --follow: stop after this long without records',
      nonNegativeInteger,
      5000,
    )
    .addOption(
      new Option('--format <format>', 'how to show values')
        .choices(RECORD_FORMATS)
        .default('string'),
    )
    .addOption(
      new Option('--key-format <format>', 'how to show keys')
        .choices(RECORD_FORMATS)
        .default('string'),
    )
    .option('--print-key', 'print the key, then the separator, then the value')
    .option('--key-separator <text>', 'between key and value with --print-key', '\t')
    .addOption(
      new Option(
        '-o, --output <mode>',
        'text: one value per line; json: one JSON document per record',
      )
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText(
      'after',
      `
Formats: string (UTF-8 text), json (JSON), binary (base64), avro (decoded with
the registry; not with --group). JSON output has topic, partition, offset,
timestamp, key, value and headers (base64); with --group, timestamp and headers
are not there, as the v2 consumer API does not return them.`,
    )
    .action(async (topic: string, _: unknown, command: Command) => {
      const options = command.optsWithGlobals<ConsumeOptions>()
      check(options)
      const sluice = clientFor(options)
      if (options.group === undefined) await readPartitions(sluice, topic, options, io)
      else await consumeAsGroup(sluice, topic, options.group, options, io)
    })
}
