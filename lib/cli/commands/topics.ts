import { Command } from 'commander'
import { SluiceRequestError } from '../../client/errors.ts'
import { anyText, nameValue, positiveInteger, repeatable } from '../arguments.ts'
import { type ConnectionOptions, clientFor } from '../connection.ts'
import { CommandFailedError } from '../exit-codes.ts'
import { type CliIo, note } from '../io.ts'
import { type OutputMode, outputMode, outputOption, printResult, text } from '../output.ts'

const TOPIC_NOT_FOUND = 40401

type Options<T> = T & ConnectionOptions & { readonly output?: OutputMode }

/** `sluice topics`: kafka-topics for Sluice. */
export function topicsCommand(io: CliIo): Command {
  const topics = new Command('topics').description(
    'create, list, describe, alter and delete topics',
  )

  topics
    .command('list')
    .description('the names of all topics')
    .addOption(outputOption())
    .action(async (_: unknown, command: Command) => {
      const options = command.optsWithGlobals<Options<object>>()
      const names = (await clientFor(options).admin().listTopics()).sort()
      await printResult(io, outputMode(io, options.output), {
        json: names,
        table: { columns: [text('TOPIC')], rows: names.map((name) => [name]) },
      })
    })

  topics
    .command('create <topic>')
    .description('create a topic')
    .option('-p, --partitions <count>', 'number of partitions (default: 1)', positiveInteger)
    .option('-c, --config <name=value>', 'a topic config; repeat for more', repeatable(nameValue))
    .option('--if-not-exists', 'succeed when the topic exists already')
    .option('--validate-only', 'check the request without creating anything')
    .action(async (topic: string, _: unknown, command: Command) => {
      const options =
        command.optsWithGlobals<
          Options<{
            partitions?: number
            config?: { name: string; value: string }[]
            ifNotExists?: boolean
            validateOnly?: boolean
          }>
        >()
      const created = await clientFor(options)
        .admin()
        .createTopics({
          topics: [
            {
              topic,
              ...(options.partitions !== undefined && { numPartitions: options.partitions }),
              configEntries: options.config ?? [],
            },
          ],
          validateOnly: options.validateOnly ?? false,
        })
      if (!created && !options.ifNotExists) {
        throw new CommandFailedError(
          `Topic '${topic}' already exists (--if-not-exists accepts that).`,
        )
      }
      const what = options.validateOnly ? 'Would create' : created ? 'Created' : 'Kept existing'
      note(io, `${what} topic '${topic}'.`)
    })

  topics
    .command('describe <topic>')
    .description("a topic's partitions with their offsets, and its configs")
    .addOption(outputOption())
    .action(async (topic: string, _: unknown, command: Command) => {
      const options = command.optsWithGlobals<Options<object>>()
      const admin = clientFor(options).admin()
      const [description, offsets, configs] = await Promise.all([
        admin.describeTopic(topic),
        admin.fetchTopicOffsets(topic),
        admin.describeTopicConfigs(topic),
      ])
      const changed = configs.filter((config) => !config.isDefault)
      await printResult(io, outputMode(io, options.output), {
        json: { ...description, partitions: offsets, configs },
        title: [
          `Topic: ${description.name}  TopicId: ${description.topicId}  PartitionCount: ${description.partitionsCount}`,
          `Configs: ${changed.map((c) => `${c.name}=${c.value}`).join(',') || '(defaults)'}`,
        ],
        table: {
          columns: [
            { title: 'PARTITION' },
            { title: 'EARLIEST-OFFSET' },
            { title: 'LATEST-OFFSET' },
            { title: 'RECORDS' },
          ],
          rows: offsets.map((p) => [p.partition, p.low, p.high, p.high - p.low]),
        },
      })
    })

  topics
    .command('alter <topic>')
    .description("grow a topic's partitions, or set or delete its configs")
    .option('-p, --partitions <count>', 'the new, larger number of partitions', positiveInteger)
    .option('-c, --config <name=value>', 'set a config; repeat for more', repeatable(nameValue))
    .option('--delete-config <name>', 'back to the default; repeat for more', repeatable(anyText))
    .action(async (topic: string, _: unknown, command: Command) => {
      const options =
        command.optsWithGlobals<
          Options<{
            partitions?: number
            config?: { name: string; value: string }[]
            deleteConfig?: string[]
          }>
        >()
      const changes = [
        ...(options.config ?? []),
        ...(options.deleteConfig ?? []).map((name) => ({ name, operation: 'DELETE' as const })),
      ]
      if (changes.length === 0 && options.partitions === undefined) {
        command.error('Give --partitions, --config or --delete-config.', { exitCode: 2 })
      }
      const admin = clientFor(options).admin()
      // Configs first: they are checked and applied all at once, so a bad one changes nothing.
      if (changes.length > 0) await admin.alterTopicConfigs(topic, changes)
      if (options.partitions !== undefined) {
        await admin.createPartitions({ topicPartitions: [{ topic, count: options.partitions }] })
      }
      note(io, `Altered topic '${topic}'.`)
    })

  topics
    .command('delete <topic>')
    .description('delete a topic and its records')
    .option('--if-exists', 'succeed when there is no such topic')
    .action(async (topic: string, _: unknown, command: Command) => {
      const options = command.optsWithGlobals<Options<{ ifExists?: boolean }>>()
      try {
        await clientFor(options)
          .admin()
          .deleteTopics({ topics: [topic] })
        note(io, `Deleted topic '${topic}'.`)
      } catch (error) {
        const missing = error instanceof SluiceRequestError && error.errorCode === TOPIC_NOT_FOUND
        if (!missing || !options.ifExists) throw error
      }
    })

  return topics
}
