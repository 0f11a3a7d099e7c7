import { type Command, Option } from 'commander'
import { Sluice } from '../client/sluice.ts'

/** The local dev server's address, what `sluice dev` and `npm start` serve on. */
export const DEFAULT_URL = 'http://127.0.0.1:8082'

export interface ConnectionOptions {
  readonly url: string
  readonly apiKey?: string
  readonly sigv4?: boolean
  readonly region?: string
  readonly cluster?: string
}

/** Where and as whom every command talks to Sluice; flags win over the environment. */
export function addConnectionOptions(program: Command): Command {
  return program
    .addOption(new Option('--url <url>', 'the Sluice API').env('SLUICE_URL').default(DEFAULT_URL))
    .addOption(
      new Option('--api-key <key>', 'authenticate with an API key (Bearer)').env('SLUICE_API_KEY'),
    )
    .addOption(
      new Option('--sigv4', 'sign requests with AWS SigV4 and the AWS credential chain')
        .env('SLUICE_SIGV4')
        .conflicts('apiKey'),
    )
    .addOption(
      new Option(
        '--region <region>',
        'the region to sign for (default: from the URL or AWS_REGION)',
      ),
    )
    .addOption(new Option('--cluster <id>', 'the cluster id (default: the one the server lists)'))
}

export function clientFor(options: ConnectionOptions): Sluice {
  const auth = options.apiKey
    ? { type: 'api-key' as const, key: options.apiKey }
    : options.sigv4
      ? { type: 'sigv4' as const, ...(options.region !== undefined && { region: options.region }) }
      : undefined
  return new Sluice({
    url: options.url,
    clientId: 'sluice-cli',
    ...(auth && { auth }),
    ...(options.cluster !== undefined && { clusterId: options.cluster }),
  })
}
