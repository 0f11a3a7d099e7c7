import { readFile } from 'node:fs/promises'
import { Command, InvalidArgumentError, Option } from 'commander'
import type { CompatibilityLevel } from '../../client/schema-registry.ts'
import { COMPATIBILITY_LEVELS } from '../../registry/compatibility-levels.ts'
import { positiveInteger } from '../arguments.ts'
import { type ConnectionOptions, clientFor } from '../connection.ts'
import { CheckFailedError } from '../exit-codes.ts'
import { type CliIo, note, writeLine } from '../io.ts'
import { type OutputMode, outputMode, outputOption, printResult, text } from '../output.ts'

type Options<T> = T & ConnectionOptions & { readonly output?: OutputMode }

function version(text: string): number | 'latest' {
  if (text === 'latest') return text
  try {
    return positiveInteger(text)
  } catch {
    throw new InvalidArgumentError('Not a version: give a number from 1, or latest.')
  }
}

const schemaOption = () =>
  new Option('--schema <file>', 'the schema file (.avsc)').makeOptionMandatory()

/** `sluice schemas`: the schema registry's subjects, versions and compatibility. */
export function schemasCommand(io: CliIo): Command {
  const schemas = new Command('schemas').description('register, read, check and delete schemas')

  schemas
    .command('list')
    .description('every subject')
    .addOption(outputOption())
    .action(async (_: unknown, command: Command) => {
      const options = command.optsWithGlobals<Options<object>>()
      const subjects = await clientFor(options).registry().listSubjects()
      await printResult(io, outputMode(io, options.output), {
        json: subjects,
        table: { columns: [text('SUBJECT')], rows: subjects.map((s) => [s]) },
      })
    })

  schemas
    .command('versions <subject>')
    .description("a subject's versions")
    .addOption(outputOption())
    .action(async (subject: string, _: unknown, command: Command) => {
      const options = command.optsWithGlobals<Options<object>>()
      const versions = await clientFor(options).registry().versions(subject)
      await printResult(io, outputMode(io, options.output), {
        json: versions,
        table: { columns: [{ title: 'VERSION' }], rows: versions.map((v) => [v]) },
      })
    })

  schemas
    .command('get <subject>')
    .description('the schema of a version (the latest by default), as the registry stores it')
    .option('--version <version>', 'a version number or latest', version, 'latest' as const)
    .action(async (subject: string, _: unknown, command: Command) => {
      const options = command.optsWithGlobals<Options<{ version: number | 'latest' }>>()
      const found = await clientFor(options).registry().version(subject, options.version)
      note(io, `Subject '${found.subject}' version ${found.version}, schema id ${found.id}:`)
      await writeLine(io.stdout, found.schema)
    })

  schemas
    .command('register <subject>')
    .description('register a schema under a subject; prints its id')
    .addOption(schemaOption())
    .action(async (subject: string, _: unknown, command: Command) => {
      const options = command.optsWithGlobals<Options<{ schema: string }>>()
      const schema = await readFile(options.schema, 'utf8')
      const id = await clientFor(options).registry().register(subject, schema)
      await writeLine(io.stdout, JSON.stringify({ id }))
    })

  schemas
    .command('check <subject>')
    .description('would the subject take this schema? exits 3 when not, saying why')
    .addOption(schemaOption())
    .option('--version <version>', 'check against this version (default: latest)', version)
    .option('--all', 'check against every version')
    .action(async (subject: string, _: unknown, command: Command) => {
      const options =
        command.optsWithGlobals<
          Options<{ schema: string; version?: number | 'latest'; all?: boolean }>
        >()
      if (options.all && options.version !== undefined) {
        command.error('Give --version or --all, not both.', { exitCode: 2 })
      }
      const schema = await readFile(options.schema, 'utf8')
      const against = options.all ? 'all' : (options.version ?? 'latest')
      const result = await clientFor(options)
        .registry()
        .checkCompatibility(subject, schema, against)
      if (!result.isCompatible) {
        throw new CheckFailedError(
          `Not compatible with '${subject}': ${result.messages.join('; ') || 'no detail given'}`,
        )
      }
      note(io, `Compatible with '${subject}'.`)
    })

  schemas
    .command('delete <subject>')
    .description('soft-delete a subject or one version; --permanent after a soft delete')
    .option('--version <version>', 'only this version', version)
    .option('--permanent', 'delete for good (needs a soft delete first)')
    .action(async (subject: string, _: unknown, command: Command) => {
      const options =
        command.optsWithGlobals<Options<{ version?: number | 'latest'; permanent?: boolean }>>()
      const deleted = await clientFor(options)
        .registry()
        .deleteSubject(subject, {
          ...(options.version !== undefined && { version: options.version }),
          permanent: options.permanent ?? false,
        })
      await writeLine(io.stdout, JSON.stringify(deleted))
    })

  schemas
    .command('compatibility [subject]')
    .description('the compatibility level of a subject (or the global one), or set it with --set')
    .addOption(new Option('--set <level>', 'the new level').choices(COMPATIBILITY_LEVELS))
    .action(async (subject: string | undefined, _: unknown, command: Command) => {
      const options = command.optsWithGlobals<Options<{ set?: CompatibilityLevel }>>()
      const registry = clientFor(options).registry()
      if (options.set !== undefined) await registry.setCompatibility(options.set, subject)
      await writeLine(io.stdout, await registry.compatibility(subject))
    })

  return schemas
}
