import { Command, Option } from 'commander'
import { nonNegativeInteger } from '../arguments.ts'
import { type CliIo, note } from '../io.ts'

interface DevOptions {
  readonly port: number
  readonly host: string
  readonly dataDir: string
}

/** `sluice dev` (what `npm start` runs): local engines, tables, bucket, the API, and the Kafka gateway. */
export function devCommand(io: CliIo): Command {
  return new Command('dev')
    .description('run Sluice on this machine: local engines and the API (what npm start runs)')
    .addOption(
      new Option('--port <port>', 'where the API listens')
        .env('PORT')
        .argParser(nonNegativeInteger)
        .default(8082),
    )
    .addOption(new Option('--host <host>', 'the address to bind').env('HOST').default('127.0.0.1'))
    .addOption(
      new Option('--data-dir <dir>', 'local engine data, kept between runs')
        .env('SLUICE_DATA_DIR')
        .default('.sluice'),
    )
    .addHelpText(
      'after',
      '\nWith AWS_ENDPOINT_URL set, no engine is started: the API serves against that endpoint.',
    )
    .action(async (options: DevOptions) => {
      // Loaded here: the server and the AWS SDK would slow every other command's start.
      const [{ configFromEnv }, { startDevServer }] = await Promise.all([
        import('../../config.ts'),
        import('../../local/dev-server.ts'),
      ])
      const config = configFromEnv()
      const server = await startDevServer({
        config,
        kafkaPort: config.kafka.port,
        port: options.port,
        host: options.host,
        engines: process.env.AWS_ENDPOINT_URL
          ? { kind: 'configured' }
          : { kind: 'local', dataDir: options.dataDir },
      })
      note(io, `Sluice is serving on ${server.url}`)
      note(io, `Kafka clients connect to ${server.kafkaBootstrap}`)
      await new Promise<void>((resolve) => {
        if (io.signal.aborted) resolve()
        io.signal.addEventListener('abort', () => resolve(), { once: true })
      })
      await server.close()
    })
}
