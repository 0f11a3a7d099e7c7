import { Command, InvalidArgumentError, Option } from 'commander'
import type { Sluice } from '../../client/sluice.ts'
import { nonNegativeInteger, positiveInteger } from '../arguments.ts'
import { type ConnectionOptions, clientFor } from '../connection.ts'
import { UsageError } from '../exit-codes.ts'
import { type CliIo, OutputClosedError, writeLine } from '../io.ts'
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
  readonly toEnd?: boolean
  readonly timeoutMs?: number
  readonly format: RecordFormat
  readonly keyFormat: RecordFormat
  readonly printKey?: boolean
  readonly keySeparator: string
  readonly output: 'text' | 'json'
}

/** Records per read when reading partitions without a group. */
const PAGE = 1000
/** How long one read waits for new records at the end of a partition. */
const WAIT_MS = 1000

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

  /** False when the output is closed: the record was not printed, and nothing more will be. */
  async print(record: OutputRecord): Promise<boolean> {
    const { options } = this
    const line =
      options.output === 'json'
        ? jsonLine(record)
        : textLine(
            record,
            { key: options.keyFormat, value: options.format },
            options.printKey ? { separator: options.keySeparator } : undefined,
          )
    try {
      await writeLine(this.io.stdout, line)
    } catch (error) {
      if (error instanceof OutputClosedError) return false
      throw error
    }
    this.printed++
    return true
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
  if (options.group !== undefined && options.toEnd) {
    throw new UsageError(
      '--to-end reads partitions directly; a --group consumer stops with --max or --timeout-ms.',
    )
  }
  if (options.offset !== undefined && options.partition === undefined) {
    throw new UsageError('--offset needs --partition.')
  }
  if (options.offset !== undefined && options.fromBeginning) {
    throw new UsageError('Give --offset or --from-beginning, not both.')
  }
}

/** Says when --timeout-ms has passed without a record. */
class IdleClock {
  private lastRecordAt = Date.now()

  constructor(private readonly timeoutMs: number | undefined) {}

  /** Starts the wait over: a record arrived, or records can arrive from now on. */
  reset(): void {
    this.lastRecordAt = Date.now()
  }

  get expired(): boolean {
    return this.timeoutMs !== undefined && Date.now() - this.lastRecordAt >= this.timeoutMs
  }
}

/**
 * Without a group: each partition is read through the read API from its start
 * position, waiting at its end for new records (or, with --to-end, up to its
 * end as it was when the command started).
 */
async function readPartitions(sluice: Sluice, topic: string, options: ConsumeOptions, io: CliIo) {
  const printer = new Printer(io, options)
  const idle = new IdleClock(options.timeoutMs)
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
  while (state.size > 0 && printer.remaining > 0 && !io.signal.aborted && !idle.expired) {
    const reads = await Promise.all(
      [...state].map(async ([partition, position]) => ({
        partition,
        position,
        result: await sluice.readPartition({
          topic,
          partition,
          from: position.next,
          maxRecords: Math.min(PAGE, printer.remaining),
          timeoutMs: options.toEnd ? 0 : Math.min(WAIT_MS, options.timeoutMs ?? WAIT_MS),
          keyType: PAYLOAD_TYPE[options.keyFormat],
          valueType: PAYLOAD_TYPE[options.format],
        }),
      })),
    )
    for (const { partition, position, result } of reads) {
      const end = options.toEnd ? (position.end ?? result.latestOffset) : Number.POSITIVE_INFINITY
      for (const record of result.records) {
        if (record.offset >= end || printer.remaining <= 0) break
        if (!(await printer.print(outputOfRead(record)))) return
        idle.reset()
      }
      position.next = result.nextOffset
      position.end = end
      if (result.nextOffset >= end) state.delete(partition)
    }
  }
}

/**
 * With a group: a consumer of the group prints records and commits those it
 * printed, until --max, --timeout-ms without records, Ctrl-C, or a reader of
 * its output that went away; then it leaves the group.
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
  const idle = new IdleClock(options.timeoutMs)
  const consumer = sluice.consumer({ groupId: group })
  consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning ?? false })
  let failure: Error | undefined
  let finish: () => void = () => {}
  const finished = new Promise<void>((resolve) => {
    finish = resolve
  })
  const end = () => {
    // Not awaited: stop waits for the handler that may be calling this.
    void consumer.stop()
    finish()
  }
  consumer.on('crash', (error) => {
    failure = error
    finish()
  })
  io.signal.addEventListener('abort', finish)
  const idleCheck = setInterval(() => {
    if (idle.expired) finish()
  }, 100)
  try {
    await consumer.run({
      // Offsets are resolved one printed record at a time, so only what was printed is committed.
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, isRunning }) => {
        for (const message of batch.messages) {
          if (!isRunning()) return
          const where = (part: string) =>
            `${part} at offset ${message.offset} of ${batch.topic}/${batch.partition}`
          const printed = await printer.print({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key: decodeBytes(message.key, formats.key, where('key')),
            value: decodeBytes(message.value, formats.value, where('value')),
          })
          if (!printed) return end()
          resolveOffset(message.offset)
          idle.reset()
          if (printer.remaining <= 0) return end()
        }
      },
    })
    // --timeout-ms counts from when records can arrive: joining may take a while.
    idle.reset()
    await finished
  } finally {
    clearInterval(idleCheck)
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
    .option('--from-beginning', 'start at the first record (default: at the end, for new records)')
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
    .option('--timeout-ms <ms>', 'stop once this long passed without a record', nonNegativeInteger)
    .option(
      '--to-end',
      'stop at the end of each partition as it was at the start, instead of waiting (not with --group)',
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
As kafka-console-consumer: it starts at the end of the topic (or at its first
record with --from-beginning, or at --offset) and waits for new records until
--max records, --timeout-ms without one, or Ctrl-C. --to-end prints what is
there and stops. With --group it commits what it printed and leaves the group
when it stops, also when the reader of its output goes away (| head).

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
