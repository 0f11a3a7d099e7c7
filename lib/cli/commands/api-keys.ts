import { Command } from 'commander'
import { API_KEYS_USAGE, runApiKeysCommand } from '../../auth/api-keys-command.ts'
import { EXIT, type ExitCode, ReportedFailure } from '../exit-codes.ts'
import { type CliIo, writeLine } from '../io.ts'
import { dataDirOption } from './dev.ts'

interface ApiKeysOptions {
  readonly local?: boolean
  readonly dataDir: string
}

/**
 * `sluice api-keys`: issues, lists and revokes API keys straight in the
 * stack's table (with AWS credentials), not through the API. The table comes
 * from SLUICE_API_KEYS_TABLE (the stack's ApiKeysTable output) or
 * SLUICE_TABLE_PREFIX. With --local, the table is the one of the `sluice dev`
 * serving --data-dir.
 */
export function apiKeysCommand(io: CliIo): Command {
  return new Command('api-keys')
    .description('create, list and revoke API keys (needs AWS credentials for the stack)')
    .argument('[command...]', 'create --name <text> | list | revoke <key-id>')
    .option('--local', 'in the tables of the `sluice dev` on --data-dir, not on AWS')
    .addOption(dataDirOption())
    .helpOption(false)
    .allowUnknownOption()
    .addHelpText('after', `\n${API_KEYS_USAGE}`)
    .action(async (args: string[], options: ApiKeysOptions) => {
      if (args.includes('--help') || args.includes('-h')) {
        await writeLine(io.stdout, API_KEYS_USAGE)
        return
      }
      // Loaded here: the AWS SDK would slow every other command's start.
      const [
        { configFromEnv },
        { ApiKeys },
        { awsStorage },
        { createAwsClients },
        { localEndpoints },
      ] = await Promise.all([
        import('../../config.ts'),
        import('../../auth/api-keys.ts'),
        import('../../storage/aws/storage-engine.ts'),
        import('../../storage/aws/clients.ts'),
        import('../../local/endpoints-file.ts'),
      ])
      const { names } = configFromEnv()
      const engines = options.local ? await localEndpoints(options.dataDir) : undefined
      const keys = new ApiKeys(awsStorage(createAwsClients(engines), names).apiKeys)
      const code = await runApiKeysCommand(args, keys, {
        out: (text) => io.stdout.write(`${text}\n`),
        err: (text) => io.stderr.write(`${text}\n`),
      })
      if (code !== EXIT.ok) throw new ReportedFailure(code as ExitCode)
    })
}
