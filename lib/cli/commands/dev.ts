import { join } from 'node:path'
import { Command, Option } from 'commander'
import { watchParent } from '../../local/parent-watch.ts'
import { nonNegativeInteger } from '../arguments.ts'
import { type CliIo, note } from '../io.ts'

interface DevOptions {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  readonly engineCacheDir?: string
  readonly auth: 'none' | 'api-key'
}

export const DEV_COMMAND = 'dev'

/** Where `sluice dev` keeps the local engines' data; other commands find its engines there. */
export function dataDirOption(): Option {
  return new Option('--data-dir <dir>', 'local engine data, kept between runs')
    .env('SLUICE_DATA_DIR')
    .default('.sluice')
}

/** `sluice dev` (what `npm start` runs): local engines, tables, bucket, the API, and the Kafka gateway. */
export function devCommand(io: CliIo): Command {
  return new Command(DEV_COMMAND)
    .description('run Sluice on this machine: local engines and the API (what npm start runs)')
    .addOption(
      new Option('--port <port>', 'where the API listens')
        .env('PORT')
        .argParser(nonNegativeInteger)
        .default(8082),
    )
    .addOption(new Option('--host <host>', 'the address to bind').env('HOST').default('127.0.0.1'))
    .addOption(dataDirOption())
    .addOption(
      new Option(
        '--engine-cache-dir <dir>',
        'where DynamoDB Local is unpacked, once (default: engines/ in the data dir)',
      ).env('SLUICE_ENGINE_CACHE_DIR'),
    )
    .addOption(
      new Option(
        '--auth <mode>',
        'api-key: refuse requests without a key, as a stack deployed with that mode does',
      )
        .env('SLUICE_AUTH_MODE')
        .choices(['none', 'api-key'])
        .default('none'),
    )
    .addHelpText(
      'after',
      `
With AWS_ENDPOINT_URL set, no engine is started: the API serves against that endpoint.
SIGINT or SIGTERM (or the exit of the process that started it) stops the
server and its engines cleanly, with exit code 0.
With --auth api-key, issue keys with \`sluice api-keys --local create --name <text>\`.`,
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
        auth: options.auth,
        engines: process.env.AWS_ENDPOINT_URL
          ? { kind: 'configured' }
          : {
              kind: 'local',
              dataDir: options.dataDir,
              engineCacheDir: options.engineCacheDir ?? join(options.dataDir, 'engines'),
            },
      })
      note(
        io,
        `Sluice is serving on ${server.url}${options.auth === 'api-key' ? ' (API keys required)' : ''}`,
      )
      note(io, `Kafka clients connect to ${server.kafkaBootstrap}`)
      let stopWatching = () => {}
      await new Promise<void>((resolve) => {
        stopWatching = watchParent(resolve)
        if (io.signal.aborted) resolve()
        io.signal.addEventListener('abort', () => resolve(), { once: true })
      })
      stopWatching()
      await server.close()
    })
}
