import { Command, Option } from 'commander'
import type { OffsetTarget } from '../../client/admin.ts'
import { anyText, dateTime, nonNegativeInteger, repeatable, topicPartition } from '../arguments.ts'
import { type ConnectionOptions, clientFor } from '../connection.ts'
import { UsageError } from '../exit-codes.ts'
import { type CliIo, note } from '../io.ts'
import { type OutputMode, outputMode, outputOption, printResult, text } from '../output.ts'

type Options<T> = T & ConnectionOptions & { readonly output?: OutputMode }

interface ResetOptions {
  readonly toEarliest?: boolean
  readonly toLatest?: boolean
  readonly toOffset?: number
  readonly toDatetime?: Date
  readonly topic?: string[]
  readonly partition?: { topic: string; partition: number }[]
}

function resetTarget(options: ResetOptions): OffsetTarget {
  const targets: OffsetTarget[] = [
    ...(options.toEarliest ? [{ to: 'earliest' as const }] : []),
    ...(options.toLatest ? [{ to: 'latest' as const }] : []),
    ...(options.toOffset !== undefined
      ? [{ to: 'offset' as const, offset: options.toOffset }]
      : []),
    ...(options.toDatetime !== undefined
      ? [{ to: 'timestamp' as const, timestamp: options.toDatetime }]
      : []),
  ]
  const [target, ...others] = targets
  if (!target || others.length > 0) {
    throw new UsageError('Give one of --to-earliest, --to-latest, --to-offset or --to-datetime.')
  }
  return target
}

/** `sluice groups`: kafka-consumer-groups for Sluice. */
export function groupsCommand(io: CliIo): Command {
  const groups = new Command('groups').description(
    'list, describe, reset and delete consumer groups',
  )

  groups
    .command('list')
    .description('every consumer group with its state')
    .addOption(outputOption())
    .action(async (_: unknown, command: Command) => {
      const options = command.optsWithGlobals<Options<object>>()
      const list = await clientFor(options).admin().listGroups()
      await printResult(io, outputMode(io, options.output), {
        json: list,
        table: {
          columns: [text('GROUP'), text('STATE'), text('ASSIGNOR')],
          rows: list.map((g) => [g.groupId, g.state, g.assignor]),
        },
      })
    })

  groups
    .command('describe <group>')
    .description(
      'per partition: committed offset, log end, lag and owner, as kafka-consumer-groups --describe',
    )
    .addOption(outputOption())
    .action(async (group: string, _: unknown, command: Command) => {
      const options = command.optsWithGlobals<Options<object>>()
      const admin = clientFor(options).admin()
      const [description, lags] = await Promise.all([
        admin.describeGroup(group),
        admin.fetchGroupLags(group),
      ])
      await printResult(io, outputMode(io, options.output), {
        json: { ...description, partitions: lags },
        title: [
          `Consumer group '${group}' is ${description.state} with ${description.members.length} member(s) (assignor ${description.assignor}).`,
        ],
        table: {
          columns: [
            text('GROUP'),
            text('TOPIC'),
            { title: 'PARTITION' },
            { title: 'CURRENT-OFFSET' },
            { title: 'LOG-END-OFFSET' },
            { title: 'LAG' },
            text('CONSUMER-ID'),
            text('CLIENT-ID'),
          ],
          rows: lags.map((l) => [
            group,
            l.topic,
            l.partition,
            l.currentOffset ?? '-',
            l.logEndOffset,
            l.lag,
            l.consumerId || '-',
            l.clientId || '-',
          ]),
        },
      })
    })

  groups
    .command('reset-offsets <group>')
    .description("move a group's committed offsets; the group must have no members")
    .option('--to-earliest', 'to the log start')
    .option('--to-latest', 'to the log end')
    .option(
      '--to-offset <offset>',
      'to this offset (one outside the log moves to its nearer end)',
      nonNegativeInteger,
    )
    .option('--to-datetime <time>', 'to the first record at or after this RFC 3339 time', dateTime)
    .option('--topic <topic>', 'only this topic; repeat for more', repeatable(anyText))
    .addOption(
      new Option('--partition <topic:partition>', 'only this partition; repeat for more')
        .argParser(repeatable(topicPartition))
        .conflicts('topic'),
    )
    .addOption(outputOption())
    .addHelpText(
      'after',
      '\nWithout --topic or --partition, every partition the group has committed moves.',
    )
    .action(async (group: string, _: unknown, command: Command) => {
      const options = command.optsWithGlobals<Options<ResetOptions>>()
      const offsets = await clientFor(options)
        .admin()
        .resetGroupOffsets({
          groupId: group,
          target: resetTarget(options),
          ...(options.topic && { topics: options.topic }),
          ...(options.partition && { partitions: options.partition }),
        })
      for (const { topic, partition, offset } of offsets) {
        if (options.toOffset !== undefined && offset !== options.toOffset) {
          note(
            io,
            `Offset ${options.toOffset} is outside the log of ${topic}/${partition}: set to ${offset}, its nearer end.`,
          )
        }
      }
      await printResult(io, outputMode(io, options.output), {
        json: offsets,
        table: {
          columns: [text('GROUP'), text('TOPIC'), { title: 'PARTITION' }, { title: 'NEW-OFFSET' }],
          rows: offsets.map((o) => [group, o.topic, o.partition, o.offset]),
        },
      })
    })

  groups
    .command('delete <group>')
    .description('delete a group without members, with its committed offsets')
    .action(async (group: string, _: unknown, command: Command) => {
      await clientFor(command.optsWithGlobals<Options<object>>()).admin().deleteGroups([group])
      note(io, `Deleted consumer group '${group}'.`)
    })

  return groups
}
